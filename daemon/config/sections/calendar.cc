#include "config/sections/calendar.h"

#include <yaml-cpp/yaml.h>

#include <string>
#include <utility>
#include <vector>

namespace atmwatch::config {
namespace {

namespace chrono = std::chrono;

Status ReadTimezoneField(const FieldReader& fields, const YAML::Node& node, chrono::minutes* out) {
  std::string text;
  if (Status status = fields.ReadScalar(node, "timezone", &text); !status.ok()) return status;
  if (Status status = engine::ParseUtcOffset(text, out); !status.ok()) {
    return fields.Error(node, "timezone", status.message());
  }
  return Status::Ok();
}

Status ReadFiscalStartField(const FieldReader& fields, const YAML::Node& node, unsigned* out) {
  constexpr std::string_view kPath = "fiscal_year_start_month";
  int64_t month = 0;
  if (Status status = fields.ReadInteger(node, kPath, &month); !status.ok()) return status;
  if (month < 1 || month > 12) {
    return fields.Error(node, kPath,
                        std::to_string(month) +
                            " is not a month; write 1 to 12 (4 = April, the Japanese fiscal year)");
  }
  *out = static_cast<unsigned>(month);
  return Status::Ok();
}

Status ReadHolidaysField(const FieldReader& fields, const YAML::Node& node,
                         std::vector<chrono::year_month_day>* out) {
  if (node.IsNull()) return Status::Ok();
  if (Status status = fields.CheckSequence(node, "holidays", "a date"); !status.ok()) return status;
  for (size_t i = 0; i < node.size(); ++i) {
    chrono::year_month_day date;
    if (Status status = fields.ReadDate(node[i], ItemPath("holidays", i), &date); !status.ok()) {
      return status;
    }
    out->push_back(date);
  }
  return Status::Ok();
}

}  // namespace

Status ReadCalendar(const FieldReader& fields, const YAML::Node& root, engine::Calendar* out) {
  if (!root.IsDefined() || root.IsNull()) {
    *out = engine::Calendar();
    return Status::Ok();
  }
  if (!root.IsMap()) {
    return fields.Error(root, "config", "expected a map of settings (timezone: \"+09:00\", ...)");
  }
  chrono::minutes utc_offset = engine::Calendar::kDefaultUtcOffset;
  unsigned fiscal_year_start_month = engine::Calendar::kDefaultFiscalYearStartMonth;
  std::vector<chrono::year_month_day> holidays;
  ConfigProblems problems;
  if (YAML::Node node = root["timezone"]; node.IsDefined()) {
    problems.Add(ReadTimezoneField(fields, node, &utc_offset));
  }
  if (YAML::Node node = root["fiscal_year_start_month"]; node.IsDefined()) {
    problems.Add(ReadFiscalStartField(fields, node, &fiscal_year_start_month));
  }
  if (YAML::Node node = root["holidays"]; node.IsDefined()) {
    problems.Add(ReadHolidaysField(fields, node, &holidays));
  }
  if (!problems.empty()) return problems.status();
  *out = engine::Calendar(utc_offset, fiscal_year_start_month, std::move(holidays));
  return Status::Ok();
}

}  // namespace atmwatch::config
