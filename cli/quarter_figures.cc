#include "cli/quarter_figures.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "engine/calendar.h"

namespace atmwatch::cli {
namespace {

constexpr double kYenPerMillion = 1'000'000;
constexpr std::string_view kHeader = "quarter,start,end,revenue,cost,expenses";

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    const auto comma = line.find(',');
    fields.push_back(line.substr(0, comma));
    if (comma == std::string_view::npos) return fields;
    line.remove_prefix(comma + 1);
  }
}

Status ParseMillions(std::string_view text, int64_t* yen) {
  std::string copy(text);
  char* end = nullptr;
  const double millions = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || !std::isfinite(millions)) {
    return Status::Error("'" + copy + "' is not a number of JPY million");
  }
  *yen = std::llround(millions * kYenPerMillion);
  return Status::Ok();
}

Status ParseRow(std::string_view line, QuarterFigures* row) {
  const std::vector<std::string_view> fields = SplitFields(line);
  if (fields.size() < 6)
    return Status::Error("expected at least 6 columns (" + std::string(kHeader) + ")");
  row->label = std::string(fields[0]);
  const std::pair<std::string_view, std::chrono::year_month_day*> dates[] = {
      {fields[1], &row->start}, {fields[2], &row->end}};
  for (const auto& [text, date] : dates) {
    if (Status status = engine::ParseDate(text, date); !status.ok()) return status;
  }
  const std::pair<std::string_view, int64_t*> money[] = {
      {fields[3], &row->revenue_yen}, {fields[4], &row->cost_yen}, {fields[5], &row->expenses_yen}};
  for (const auto& [text, yen] : money) {
    if (Status status = ParseMillions(text, yen); !status.ok()) return status;
  }
  return Status::Ok();
}

}  // namespace

Status ParseQuarterFigures(std::string_view csv, std::vector<QuarterFigures>* out) {
  std::vector<QuarterFigures> rows;
  bool header_seen = false;
  int line_number = 0;
  while (!csv.empty()) {
    const auto newline = csv.find('\n');
    std::string_view line = csv.substr(0, newline);
    csv = newline == std::string_view::npos ? std::string_view() : csv.substr(newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::string where = "line " + std::to_string(line_number) + ": ";
    if (!header_seen) {
      if (line.substr(0, kHeader.size()) != kHeader) {
        return Status::Error(where + "expected the header " + std::string(kHeader) + ",...");
      }
      header_seen = true;
      continue;
    }
    QuarterFigures row;
    if (Status status = ParseRow(line, &row); !status.ok()) {
      return Status::Error(where + status.message());
    }
    if (!rows.empty() && std::chrono::sys_days(rows.back().end) + std::chrono::days(1) !=
                             std::chrono::sys_days(row.start)) {
      return Status::Error(where + row.label + " does not start the day after " +
                           rows.back().label + " ends; list consecutive quarters in order");
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return Status::Error("no quarters: the file has no data lines");
  *out = std::move(rows);
  return Status::Ok();
}

Status LoadQuarterFigures(const std::string& path, std::vector<QuarterFigures>* out) {
  std::ifstream in(path);
  if (!in) return Status::Error(path + ": cannot read the quarter figures");
  std::ostringstream text;
  text << in.rdbuf();
  if (Status status = ParseQuarterFigures(text.str(), out); !status.ok()) {
    return Status::Error(path + ": " + status.message());
  }
  return Status::Ok();
}

}  // namespace atmwatch::cli
