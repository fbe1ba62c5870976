#include "config/sections/business_hours.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <string>
#include <string_view>

namespace atmwatch::config {

Status ReadClockTime(const FieldReader& fields, const YAML::Node& node, std::string_view path,
                     int* minute) {
  std::string text;
  if (Status s = fields.ReadScalar(node, path, &text); !s.ok()) return s;
  int hours = -1;
  int minutes = -1;
  const bool shaped =
      text.size() == 5 && text[2] == ':' &&
      std::from_chars(text.data(), text.data() + 2, hours).ptr == text.data() + 2 &&
      std::from_chars(text.data() + 3, text.data() + 5, minutes).ptr == text.data() + 5;
  if (!shaped || hours < 0 || minutes < 0 || minutes > 59 || hours * 60 + minutes > 24 * 60) {
    return fields.Error(node, path,
                        fmt::format("'{}' is not a local time; write HH:MM, e.g. \"10:00\"", text));
  }
  *minute = hours * 60 + minutes;
  return Status::Ok();
}

Status ReadBusinessHours(const FieldReader& fields, const YAML::Node& n,
                         engine::BusinessHours* out) {
  if (Status s = fields.CheckMapKeys(n, "business_hours", {"start", "end"}); !s.ok()) return s;
  engine::BusinessHours hours = *out;
  if (auto v = n["start"]) {
    if (Status s = ReadClockTime(fields, v, "business_hours.start", &hours.start_minute); !s.ok())
      return s;
  }
  if (auto v = n["end"]) {
    if (Status s = ReadClockTime(fields, v, "business_hours.end", &hours.end_minute); !s.ok())
      return s;
  }
  if (hours.start_minute >= hours.end_minute) {
    return fields.Error(n, "business_hours",
                        "start must be before end (hours do not wrap past midnight); write "
                        "e.g. {start: \"10:00\", end: \"24:00\"}");
  }
  *out = hours;
  return Status::Ok();
}

}  // namespace atmwatch::config
