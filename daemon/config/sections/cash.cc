#include "config/sections/cash.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <string>
#include <string_view>

#include "config/sections/business_hours.h"

namespace atmwatch::config {
namespace {

// By std::chrono::weekday::c_encoding.
constexpr std::array<std::string_view, 7> kDayNames = {"sun", "mon", "tue", "wed",
                                                       "thu", "fri", "sat"};

Status ReadVisitDays(const FieldReader& fields, const YAML::Node& node, const std::string& path,
                     uint8_t* out) {
  if (Status s = fields.CheckSequence(node, path, "a day: sun, mon, tue, wed, thu, fri or sat");
      !s.ok()) {
    return s;
  }
  uint8_t days = 0;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = ItemPath(path, i);
    std::string name;
    if (Status s = fields.ReadScalar(node[i], item_path, &name); !s.ok()) return s;
    std::size_t day = 0;
    while (day < kDayNames.size() && kDayNames[day] != name) ++day;
    if (day == kDayNames.size()) {
      return fields.Error(
          node[i], item_path,
          fmt::format("'{}' is not a day; write sun, mon, tue, wed, thu, fri or sat", name));
    }
    days |= static_cast<uint8_t>(1U << day);
  }
  *out = days;
  return Status::Ok();
}

// One schedule at `path`, over the keys of *out (the default's, for a region).
Status ReadSchedule(const FieldReader& fields, const YAML::Node& node, const std::string& path,
                    engine::VisitSchedule* out) {
  if (Status s =
          fields.CheckMapKeys(node, path, {"visit_days", "visit_time", "cost_per_visit_yen"});
      !s.ok()) {
    return s;
  }
  engine::VisitSchedule schedule = *out;
  ConfigProblems problems;
  if (auto n = node["visit_days"]) {
    problems.Add(ReadVisitDays(fields, n, path + ".visit_days", &schedule.weekdays));
  }
  if (auto n = node["visit_time"]) {
    const std::string time_path = path + ".visit_time";
    if (problems.Add(ReadClockTime(fields, n, time_path, &schedule.minute_of_day)) &&
        schedule.minute_of_day >= 24 * 60) {
      problems.Add(fields.Error(n, time_path, "a visit is within the day; write e.g. \"23:30\""));
    }
  }
  if (auto n = node["cost_per_visit_yen"]) {
    const std::string cost_path = path + ".cost_per_visit_yen";
    problems.Add(
        fields.ReadIntegerIn(n, cost_path, 0, INT64_MAX / 2, &schedule.cost_per_visit_yen));
  }
  if (!problems.empty()) return problems.status();
  if (schedule.weekdays == 0) {
    return fields.Error(node, path, "no visit day; write e.g. visit_days: [mon, thu]");
  }
  *out = schedule;
  return Status::Ok();
}

}  // namespace

Status ReadCash(const FieldReader& fields, const YAML::Node& cash, engine::CashVisits* out) {
  if (!cash.IsDefined() || cash.IsNull()) {
    *out = engine::CashVisits();
    return Status::Ok();
  }
  if (Status s = fields.CheckMapKeys(cash, "cash", {"default", "regions"}); !s.ok()) return s;
  engine::CashVisits visits;
  // Regions start from the default's keys, or the built-in ones.
  engine::VisitSchedule base;
  if (auto n = cash["default"]) {
    if (Status s = ReadSchedule(fields, n, "cash.default", &base); !s.ok()) return s;
    visits.fallback = base;
  }
  if (auto regions = cash["regions"]) {
    if (!regions.IsMap()) {
      return fields.Error(regions, "cash.regions",
                          "not a map of regions; write e.g. {kanto: {visit_days: [mon, thu]}}");
    }
    ConfigProblems problems;
    for (const auto& entry : regions) {
      const std::string region = entry.first.as<std::string>();
      engine::VisitSchedule schedule = base;
      if (problems.Add(ReadSchedule(fields, entry.second, "cash.regions." + region, &schedule))) {
        visits.regions.emplace(region, schedule);
      }
    }
    if (!problems.empty()) return problems.status();
  }
  *out = std::move(visits);
  return Status::Ok();
}

}  // namespace atmwatch::config
