#include "config/sections/fees.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <utility>

namespace atmwatch::config {
namespace {

using engine::DayClass;
using engine::FeeBand;
using engine::FeeBandsByDayClass;
using engine::FeeSchedule;
using engine::FeeTariff;

constexpr int kMinutesPerDay = 24 * 60;
constexpr size_t kDayClassCount = 2;

size_t Index(DayClass day_class) { return static_cast<size_t>(day_class); }

std::string_view DayClassName(DayClass day_class) {
  return day_class == DayClass::kWeekday ? "weekday" : "weekend";
}

std::string FormatMinute(int minute_of_day) {
  char text[32];
  std::snprintf(text, sizeof text, "%02d:%02d", minute_of_day / 60, minute_of_day % 60);
  return text;
}

std::string FormatRange(int start_minute, int end_minute) {
  return FormatMinute(start_minute) + "-" + FormatMinute(end_minute);
}

// One entry of a `bands` list as written, before it is split at midnight.
struct BandEntry {
  bool weekday = false;
  bool weekend = false;
  int start_minute = 0;
  int end_minute = 0;
  int64_t yen = 0;
};

// A piece of a BandEntry within one day, remembering where it came from so
// that an overlap can name both entries.
struct Segment {
  FeeBand band;
  size_t entry_index = 0;
};

Status ParseTimeOfDay(const FieldReader& fields, const YAML::Node& node, const std::string& path,
                      bool is_end, int* minute_of_day) {
  std::string text;
  if (Status status = fields.ReadScalar(node, path, &text); !status.ok()) return status;
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  bool shaped = text.size() == 5 && text[2] == ':' && is_digit(text[0]) && is_digit(text[1]) &&
                is_digit(text[3]) && is_digit(text[4]);
  int hour = shaped ? (text[0] - '0') * 10 + (text[1] - '0') : -1;
  int minute = shaped ? (text[3] - '0') * 10 + (text[4] - '0') : -1;
  int value = hour * 60 + minute;
  bool in_range = shaped && minute < 60 && (hour < 24 || (is_end && value == kMinutesPerDay));
  if (!in_range) {
    std::string allowed = is_end ? "from \"00:00\" to \"24:00\"" : "from \"00:00\" to \"23:59\"";
    return fields.Error(node, path,
                        "\"" + text + "\" is not a time of day; write \"HH:MM\" " + allowed);
  }
  *minute_of_day = value;
  return Status::Ok();
}

Status ParseDays(const FieldReader& fields, const YAML::Node& node, const std::string& path,
                 BandEntry* entry) {
  std::string text;
  if (Status status = fields.ReadScalar(node, path, &text); !status.ok()) return status;
  entry->weekday = text == "weekday" || text == "all";
  entry->weekend = text == "weekend" || text == "all";
  if (!entry->weekday && !entry->weekend) {
    return fields.Error(node, path,
                        "\"" + text +
                            "\" is not a day class; write weekday, weekend (Saturday, Sunday and "
                            "holidays) or all");
  }
  return Status::Ok();
}

Status ParseYen(const FieldReader& fields, const YAML::Node& node, const std::string& path,
                int64_t* yen) {
  if (Status status = fields.ReadInteger(node, path, yen); !status.ok()) return status;
  if (*yen < 0) {
    return fields.Error(node, path,
                        std::to_string(*yen) +
                            " is negative; write the fee the issuer pays, 0 or more (reversals "
                            "take it back by themselves)");
  }
  return Status::Ok();
}

Status ParseBandEntry(const FieldReader& fields, const YAML::Node& node, const std::string& path,
                      BandEntry* entry) {
  if (Status status = fields.CheckMapKeys(node, path, {"days", "start", "end", "yen"});
      !status.ok()) {
    return status;
  }
  const std::pair<std::string, std::string_view> required[] = {{"days", "days: weekday"},
                                                               {"start", "start: \"08:45\""},
                                                               {"end", "end: \"18:00\""},
                                                               {"yen", "yen: 105"}};
  for (const auto& [key, example] : required) {
    if (!node[key].IsDefined()) {
      return fields.Error(node, path + "." + key,
                          "missing; every band needs it, e.g. " + std::string(example));
    }
  }
  for (Status status :
       {ParseDays(fields, node["days"], path + ".days", entry),
        ParseTimeOfDay(fields, node["start"], path + ".start", false, &entry->start_minute),
        ParseTimeOfDay(fields, node["end"], path + ".end", true, &entry->end_minute),
        ParseYen(fields, node["yen"], path + ".yen", &entry->yen)}) {
    if (!status.ok()) return status;
  }
  if (entry->start_minute == entry->end_minute) {
    return fields.Error(node, path,
                        "the band " + FormatRange(entry->start_minute, entry->end_minute) +
                            " is empty; for the whole day write start: \"00:00\", end: \"24:00\"");
  }
  return Status::Ok();
}

// Splits entries at midnight into per-day-class segments sorted by start.
std::array<std::vector<Segment>, kDayClassCount> SegmentsOf(const std::vector<BandEntry>& entries) {
  std::array<std::vector<Segment>, kDayClassCount> segments;
  for (size_t i = 0; i < entries.size(); ++i) {
    const BandEntry& entry = entries[i];
    std::vector<FeeBand> pieces;
    if (entry.start_minute < entry.end_minute) {
      pieces.push_back({entry.start_minute, entry.end_minute, entry.yen});
    } else {
      pieces.push_back({entry.start_minute, kMinutesPerDay, entry.yen});
      if (entry.end_minute > 0) pieces.push_back({0, entry.end_minute, entry.yen});
    }
    for (const FeeBand& piece : pieces) {
      if (entry.weekday) segments[Index(DayClass::kWeekday)].push_back({piece, i});
      if (entry.weekend) segments[Index(DayClass::kWeekendOrHoliday)].push_back({piece, i});
    }
  }
  for (auto& of_class : segments) {
    std::sort(of_class.begin(), of_class.end(), [](const Segment& a, const Segment& b) {
      return a.band.start_minute < b.band.start_minute;
    });
  }
  return segments;
}

// `list` and `path` are the `bands` list the entries were parsed from.
Status CheckNoOverlap(const FieldReader& fields, const std::vector<Segment>& segments,
                      DayClass day_class, const std::vector<BandEntry>& entries,
                      const YAML::Node& list, const std::string& path) {
  for (size_t i = 1; i < segments.size(); ++i) {
    const Segment& earlier = segments[i - 1];
    const Segment& later = segments[i];
    if (later.band.start_minute >= earlier.band.end_minute) continue;
    size_t first_index = std::min(earlier.entry_index, later.entry_index);
    size_t second_index = std::max(earlier.entry_index, later.entry_index);
    const BandEntry& first = entries[first_index];
    const BandEntry& second = entries[second_index];
    int overlap_end = std::min(earlier.band.end_minute, later.band.end_minute);
    std::string first_line = std::to_string(list[first_index].Mark().line + 1);
    return fields.Error(list[second_index], ItemPath(path, second_index),
                        std::string(DayClassName(day_class)) + " band " +
                            FormatRange(second.start_minute, second.end_minute) + " overlaps " +
                            ItemPath(path, first_index) + " (line " + first_line + ") " +
                            FormatRange(first.start_minute, first.end_minute) + " at " +
                            FormatRange(later.band.start_minute, overlap_end) +
                            "; let one band end where the next starts");
  }
  return Status::Ok();
}

Status CheckCoverage(const FieldReader& fields, const std::vector<FeeBand>& bands,
                     DayClass day_class, const std::string& path, const YAML::Node& node) {
  int covered_until = 0;
  for (size_t i = 0; i <= bands.size(); ++i) {
    int next_start = i < bands.size() ? bands[i].start_minute : kMinutesPerDay;
    if (next_start > covered_until) {
      return fields.Error(node, path,
                          std::string(DayClassName(day_class)) + " " +
                              FormatRange(covered_until, next_start) +
                              " is covered by no band; add a band for it, or set fees.default_yen "
                              "to what a withdrawal earns at times no band covers");
    }
    if (i < bands.size()) covered_until = bands[i].end_minute;
  }
  return Status::Ok();
}

// Parses a `bands` list into non-overlapping bands per day class.
Status ParseBands(const FieldReader& fields, const YAML::Node& node, const std::string& path,
                  FeeBandsByDayClass* out) {
  if (Status status = fields.CheckSequence(node, path, "a band {days, start, end, yen}");
      !status.ok()) {
    return status;
  }
  std::vector<BandEntry> entries(node.size());
  for (size_t i = 0; i < node.size(); ++i) {
    if (Status status = ParseBandEntry(fields, node[i], ItemPath(path, i), &entries[i]);
        !status.ok()) {
      return status;
    }
  }
  auto segments = SegmentsOf(entries);
  for (DayClass day_class : {DayClass::kWeekday, DayClass::kWeekendOrHoliday}) {
    const auto& of_class = segments[Index(day_class)];
    if (Status status = CheckNoOverlap(fields, of_class, day_class, entries, node, path);
        !status.ok()) {
      return status;
    }
    for (const Segment& segment : of_class) (*out)[Index(day_class)].push_back(segment.band);
  }
  return Status::Ok();
}

Status ParseIssuers(const FieldReader& fields, const YAML::Node& node,
                    std::map<std::string, FeeBandsByDayClass, std::less<>>* out) {
  if (!node.IsMap()) {
    return fields.Error(node, "fees.issuers",
                        "expected a map from bank code to bands, e.g. \"0005\": {bands: [...]}");
  }
  for (const auto& issuer : node) {
    const std::string& code = issuer.first.Scalar();
    std::string path = "fees.issuers." + code;
    if (code.empty()) {
      return fields.Error(issuer.first, path,
                          "empty bank code; write the issuer's code, e.g. \"0005\"");
    }
    if (out->count(code) != 0) {
      return fields.Error(issuer.first, path, "issuer given twice; merge its bands into one entry");
    }
    if (Status status = fields.CheckMapKeys(issuer.second, path, {"bands"}); !status.ok())
      return status;
    YAML::Node bands = issuer.second["bands"];
    if (!bands.IsDefined()) {
      return fields.Error(issuer.second, path,
                          "no bands; add bands: [{days: ..., start: ..., end: ..., yen: ...}] or "
                          "remove the issuer");
    }
    if (Status status = ParseBands(fields, bands, path + ".bands", &(*out)[code]); !status.ok()) {
      return status;
    }
  }
  return Status::Ok();
}

Status ParseOtherTypes(const FieldReader& fields, const YAML::Node& node,
                       int64_t* balance_inquiry_yen, int64_t* deposit_yen, int64_t* transfer_yen) {
  constexpr std::string_view kPath = "fees.other_types_yen";
  if (Status status = fields.CheckMapKeys(node, kPath, {"balance_inquiry", "deposit", "transfer"});
      !status.ok()) {
    return status;
  }
  const std::pair<std::string_view, int64_t*> keys[] = {{"balance_inquiry", balance_inquiry_yen},
                                                        {"deposit", deposit_yen},
                                                        {"transfer", transfer_yen}};
  for (const auto& [key, yen] : keys) {
    YAML::Node value = node[std::string(key)];
    if (!value.IsDefined()) continue;
    std::string path = std::string(kPath) + "." + std::string(key);
    if (Status status = ParseYen(fields, value, path, yen); !status.ok()) return status;
  }
  return Status::Ok();
}

}  // namespace

Status ReadFees(const FieldReader& fields, const YAML::Node& fees, engine::FeeSchedule* out) {
  if (!fees.IsDefined() || fees.IsNull()) {
    *out = FeeSchedule();
    return Status::Ok();
  }
  if (Status status =
          fields.CheckMapKeys(fees, "fees", {"bands", "default_yen", "issuers", "other_types_yen"});
      !status.ok()) {
    return status;
  }
  FeeTariff parsed;
  ConfigProblems problems;
  YAML::Node bands = fees["bands"];
  bool bands_read = true;
  if (bands.IsDefined()) {
    // Configured bands replace the built-in ones as a whole, never piecemeal.
    parsed.bands = {};
    bands_read = problems.Add(ParseBands(fields, bands, "fees.bands", &parsed.bands));
  }
  if (YAML::Node default_yen = fees["default_yen"]; default_yen.IsDefined()) {
    problems.Add(ParseYen(fields, default_yen, "fees.default_yen", &parsed.default_yen));
  } else if (bands.IsDefined() && bands_read) {
    for (DayClass day_class : {DayClass::kWeekday, DayClass::kWeekendOrHoliday}) {
      if (!problems.Add(CheckCoverage(fields, parsed.bands[Index(day_class)], day_class,
                                      "fees.bands", bands))) {
        break;
      }
    }
  }
  if (YAML::Node issuers = fees["issuers"]; issuers.IsDefined()) {
    problems.Add(ParseIssuers(fields, issuers, &parsed.issuer_bands));
  }
  if (YAML::Node other_types = fees["other_types_yen"]; other_types.IsDefined()) {
    problems.Add(ParseOtherTypes(fields, other_types, &parsed.balance_inquiry_yen,
                                 &parsed.deposit_yen, &parsed.transfer_yen));
  }
  if (!problems.empty()) return problems.status();
  *out = FeeSchedule(std::move(parsed));
  return Status::Ok();
}

}  // namespace atmwatch::config
