#include "engine/quarter_report.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace atmwatch::engine {
namespace {

constexpr int64_t kYenPerTenthMillion = 100'000;
constexpr int kLabelWidth = 30;
constexpr int kColumnWidth = 9;

std::string FormatOneDecimal(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

std::string PadLeft(const std::string& text, int width) {
  return std::string(text.size() < static_cast<std::size_t>(width) ? width - text.size() : 0, ' ') +
         text;
}

std::string PadRight(const std::string& text, int width) {
  return text +
         std::string(text.size() < static_cast<std::size_t>(width) ? width - text.size() : 0, ' ');
}

}  // namespace

std::vector<QuarterRow> BuildQuarterRows(const BusinessRecords& records, FiscalQuarter first,
                                         FiscalQuarter last, int64_t as_of_day) {
  std::vector<QuarterRow> rows;
  for (FiscalQuarter quarter = first; quarter <= last; quarter = NextQuarter(quarter)) {
    DayRange days = QuarterDays(records.calendar, quarter);
    if (days.first > as_of_day) break;
    days.last = std::min(days.last, as_of_day);
    const PeriodFigures figures = FiguresFor(records, days);
    QuarterRow row;
    row.quarter = quarter;
    row.label = QuarterLabel(quarter);
    row.start = DateOfDayNumber(days.first);
    row.end = DateOfDayNumber(days.last);
    row.revenue_yen = figures.revenue_yen();
    row.cost_yen = figures.cost_yen;
    row.expenses_yen = figures.expenses_yen;
    row.total_yen = figures.total_costs_yen();
    row.operating_income_yen = figures.operating_income_yen();
    row.atms = static_cast<int64_t>(records.usage.AtmsActive(days));
    if (figures.atm_days > 0) {
      row.tx_per_atm_day =
          static_cast<double>(figures.transactions) / static_cast<double>(figures.atm_days);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string FormatYenMillions(int64_t yen) {
  const int64_t magnitude = std::llabs(yen);
  const int64_t tenths = (magnitude + kYenPerTenthMillion / 2) / kYenPerTenthMillion;
  const bool negative = yen < 0 && tenths > 0;
  return (negative ? "-" : "") + std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

std::string FormatQuarterCsv(std::span<const QuarterRow> rows) {
  std::string csv =
      "quarter,start,end,revenue,cost,expenses,total,operating_income,atms,tx_per_atm_day\n";
  for (const QuarterRow& row : rows) {
    csv += row.label + "," + FormatDate(row.start) + "," + FormatDate(row.end) + "," +
           FormatYenMillions(row.revenue_yen) + "," + FormatYenMillions(row.cost_yen) + "," +
           FormatYenMillions(row.expenses_yen) + "," + FormatYenMillions(row.total_yen) + "," +
           FormatYenMillions(row.operating_income_yen) + "," + std::to_string(row.atms) + "," +
           FormatOneDecimal(row.tx_per_atm_day) + "\n";
  }
  return csv;
}

std::string FormatQuarterTable(std::span<const QuarterRow> rows) {
  struct Line {
    const char* name;
    std::function<std::string(const QuarterRow&)> cell;
  };
  const Line lines[] = {
      {"Revenue", [](const QuarterRow& r) { return FormatYenMillions(r.revenue_yen); }},
      {"Cost", [](const QuarterRow& r) { return FormatYenMillions(r.cost_yen); }},
      {"Expenses", [](const QuarterRow& r) { return FormatYenMillions(r.expenses_yen); }},
      {"Total", [](const QuarterRow& r) { return FormatYenMillions(r.total_yen); }},
      {"Operating income",
       [](const QuarterRow& r) { return FormatYenMillions(r.operating_income_yen); }},
      {"ATMs", [](const QuarterRow& r) { return std::to_string(r.atms); }},
      {"Transactions per ATM per day",
       [](const QuarterRow& r) { return FormatOneDecimal(r.tx_per_atm_day); }},
  };
  std::string table = PadRight("(JPY million)", kLabelWidth);
  for (const QuarterRow& row : rows) table += PadLeft(row.label, kColumnWidth);
  table += "\n";
  for (const Line& line : lines) {
    table += PadRight(line.name, kLabelWidth);
    for (const QuarterRow& row : rows) table += PadLeft(line.cell(row), kColumnWidth);
    table += "\n";
  }
  return table;
}

std::string FormatQuarterJson(std::span<const QuarterRow> rows, std::chrono::year_month_day as_of) {
  std::string json = "{\"as_of\":\"" + FormatDate(as_of) + "\",\"quarters\":[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const QuarterRow& row = rows[i];
    char usage[64];
    std::snprintf(usage, sizeof usage, "%.3f", row.tx_per_atm_day);
    json += (i == 0 ? "{" : ",{");
    json += "\"quarter\":\"" + row.label +
            "\",\"fiscal_year\":" + std::to_string(row.quarter.fiscal_year) +
            ",\"fiscal_quarter\":" + std::to_string(row.quarter.quarter) + ",\"start\":\"" +
            FormatDate(row.start) + "\",\"end\":\"" + FormatDate(row.end) +
            "\",\"revenue_yen\":" + std::to_string(row.revenue_yen) +
            ",\"cost_yen\":" + std::to_string(row.cost_yen) +
            ",\"expenses_yen\":" + std::to_string(row.expenses_yen) +
            ",\"total_yen\":" + std::to_string(row.total_yen) +
            ",\"operating_income_yen\":" + std::to_string(row.operating_income_yen) +
            ",\"atms\":" + std::to_string(row.atms) + ",\"tx_per_atm_day\":" + usage + "}";
  }
  return json + "]}\n";
}

}  // namespace atmwatch::engine
