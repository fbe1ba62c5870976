#include "config/sections/business_hours.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

namespace atmwatch::config {
namespace {

using engine::DayHours;
using engine::HoursDay;

// "HH:MM", 00:00..24:00, as minutes after local midnight.
std::optional<int> ParseClockTime(std::string_view text) {
  int hours = -1;
  int minutes = -1;
  const bool shaped =
      text.size() == 5 && text[2] == ':' &&
      std::from_chars(text.data(), text.data() + 2, hours).ptr == text.data() + 2 &&
      std::from_chars(text.data() + 3, text.data() + 5, minutes).ptr == text.data() + 5;
  if (!shaped || hours < 0 || minutes < 0 || minutes > 59 || hours * 60 + minutes > 24 * 60) {
    return std::nullopt;
  }
  return hours * 60 + minutes;
}

// "HH:MM-HH:MM" (start before end, no wrap past midnight) or "closed".
Status ReadDayHours(const FieldReader& fields, const YAML::Node& node, const std::string& path,
                    DayHours* out) {
  std::string text;
  if (Status s = fields.ReadScalar(node, path, &text); !s.ok()) return s;
  if (text == "closed") {
    *out = DayHours::Closed();
    return Status::Ok();
  }
  const std::optional<int> start = text.size() == 11 && text[5] == '-'
                                       ? ParseClockTime(std::string_view(text).substr(0, 5))
                                       : std::nullopt;
  const std::optional<int> end =
      start ? ParseClockTime(std::string_view(text).substr(6)) : std::nullopt;
  if (!start || !end || *start >= *end) {
    return fields.Error(node, path,
                        fmt::format("'{}' is not opening hours; write \"HH:MM-HH:MM\" with the "
                                    "start first (end may be 24:00), e.g. \"09:00-18:00\", or "
                                    "closed",
                                    text));
  }
  *out = DayHours{static_cast<std::int16_t>(*start), static_cast<std::int16_t>(*end)};
  return Status::Ok();
}

}  // namespace

Status ReadClockTime(const FieldReader& fields, const YAML::Node& node, std::string_view path,
                     int* minute) {
  std::string text;
  if (Status s = fields.ReadScalar(node, path, &text); !s.ok()) return s;
  const std::optional<int> parsed = ParseClockTime(text);
  if (!parsed) {
    return fields.Error(node, path,
                        fmt::format("'{}' is not a local time; write HH:MM, e.g. \"10:00\"", text));
  }
  *minute = *parsed;
  return Status::Ok();
}

Status ReadBusinessHours(const FieldReader& fields, const YAML::Node& n,
                         engine::BusinessHours* out) {
  if (Status s = fields.CheckMapKeys(n, "business_hours", {"start", "end"}); !s.ok()) return s;
  const DayHours current = out->On(HoursDay::kWeekday);
  int start = current.start_minute;
  int end = current.end_minute;
  if (auto v = n["start"]) {
    if (Status s = ReadClockTime(fields, v, "business_hours.start", &start); !s.ok()) return s;
  }
  if (auto v = n["end"]) {
    if (Status s = ReadClockTime(fields, v, "business_hours.end", &end); !s.ok()) return s;
  }
  if (start >= end) {
    return fields.Error(n, "business_hours",
                        "start must be before end (hours do not wrap past midnight); write "
                        "e.g. {start: \"10:00\", end: \"24:00\"}");
  }
  *out = engine::BusinessHours::Daily(start, end);
  return Status::Ok();
}

Status ReadHours(const FieldReader& fields, const YAML::Node& n, const std::string& path,
                 engine::BusinessHours* out) {
  if (Status s = fields.CheckMapKeys(n, path, {"all", "weekday", "saturday", "sunday", "holiday"});
      !s.ok()) {
    return s;
  }
  engine::BusinessHours hours = *out;
  DayHours day;
  // `all` first, then the more specific keys; a holiday keeps Sunday's
  // hours unless it has its own.
  if (auto v = n["all"]) {
    if (Status s = ReadDayHours(fields, v, KeyPath(path, "all"), &day); !s.ok()) return s;
    hours.days.fill(day);
  }
  const std::pair<const char*, HoursDay> keys[] = {{"weekday", HoursDay::kWeekday},
                                                   {"saturday", HoursDay::kSaturday},
                                                   {"sunday", HoursDay::kSunday},
                                                   {"holiday", HoursDay::kHoliday}};
  for (const auto& [key, which] : keys) {
    auto v = n[key];
    if (!v) continue;
    if (Status s = ReadDayHours(fields, v, KeyPath(path, key), &day); !s.ok()) return s;
    hours.On(which) = day;
    if (which == HoursDay::kSunday && !n["holiday"]) hours.On(HoursDay::kHoliday) = day;
  }
  *out = hours;
  return Status::Ok();
}

}  // namespace atmwatch::config
