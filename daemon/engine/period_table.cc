#include "engine/period_table.h"

#include <functional>
#include <optional>

#include "engine/report_text.h"

namespace atmwatch::engine {
namespace {

constexpr int kLabelWidth = 30;
constexpr int kColumnWidth = 9;

// The earlier period's figure when the two can be compared.
std::optional<int64_t> Earlier(const PeriodColumn& column, const PeriodRow* before,
                               int64_t PeriodRow::*figure) {
  if (before == nullptr || !column.row->complete) return std::nullopt;
  return before->*figure;
}

}  // namespace

std::string FormatPeriodTable(std::span<const PeriodColumn> columns, bool quarter_on_quarter) {
  struct Line {
    const char* name;
    std::function<std::string(const PeriodColumn&)> cell;
    bool quarter_on_quarter = false;  // shown with QoQ only
  };
  const Line lines[] = {
      {"Revenue", [](const PeriodColumn& c) { return FormatYenMillions(c.row->revenue_yen); }},
      {"  YoY",
       [](const PeriodColumn& c) {
         return FormatPercentChange(Earlier(c, c.year_before, &PeriodRow::revenue_yen),
                                    c.row->revenue_yen);
       }},
      {"  QoQ",
       [](const PeriodColumn& c) {
         return FormatPercentChange(Earlier(c, c.period_before, &PeriodRow::revenue_yen),
                                    c.row->revenue_yen);
       },
       true},
      {"Cost", [](const PeriodColumn& c) { return FormatYenMillions(c.row->cost_yen); }},
      {"Gross profit",
       [](const PeriodColumn& c) { return FormatYenMillions(c.row->gross_profit_yen()); }},
      {"Expenses", [](const PeriodColumn& c) { return FormatYenMillions(c.row->expenses_yen); }},
      {"Total", [](const PeriodColumn& c) { return FormatYenMillions(c.row->total_yen); }},
      {"Operating income",
       [](const PeriodColumn& c) { return FormatYenMillions(c.row->operating_income_yen); }},
      {"  YoY",
       [](const PeriodColumn& c) {
         return FormatYenMillionsChange(Earlier(c, c.year_before, &PeriodRow::operating_income_yen),
                                        c.row->operating_income_yen);
       }},
      {"  QoQ",
       [](const PeriodColumn& c) {
         return FormatYenMillionsChange(
             Earlier(c, c.period_before, &PeriodRow::operating_income_yen),
             c.row->operating_income_yen);
       },
       true},
      {"ATMs", [](const PeriodColumn& c) { return std::to_string(c.row->atms); }},
      {"Transactions per ATM per day",
       [](const PeriodColumn& c) { return FormatOneDecimal(c.row->tx_per_atm_day); }},
  };
  std::string table = PadRight("(JPY million)", kLabelWidth);
  for (const PeriodColumn& column : columns) table += PadLeft(column.row->label, kColumnWidth);
  table += "\n";
  for (const Line& line : lines) {
    if (line.quarter_on_quarter && !quarter_on_quarter) continue;
    table += PadRight(line.name, kLabelWidth);
    for (const PeriodColumn& column : columns) table += PadLeft(line.cell(column), kColumnWidth);
    table += "\n";
  }
  return table;
}

}  // namespace atmwatch::engine
