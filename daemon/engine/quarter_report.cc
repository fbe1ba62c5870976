#include "engine/quarter_report.h"

#include <cstdio>

#include "engine/period_table.h"
#include "engine/report_text.h"

namespace atmwatch::engine {

std::vector<QuarterRow> BuildQuarterRows(const BusinessRecords& records, FiscalQuarter first,
                                         FiscalQuarter last, int64_t as_of_day) {
  std::vector<QuarterRow> rows;
  for (FiscalQuarter quarter = first; quarter <= last; quarter = NextQuarter(quarter)) {
    const DayRange days = QuarterDays(records.calendar, quarter);
    if (days.first > as_of_day) break;
    QuarterRow row;
    static_cast<PeriodRow&>(row) = PeriodRowFor(records, days, as_of_day, QuarterLabel(quarter));
    row.quarter = quarter;
    rows.push_back(std::move(row));
  }
  return rows;
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

std::string FormatQuarterTable(std::span<const QuarterRow> rows, std::span<const YearRow> years) {
  const auto find_quarter = [&](FiscalQuarter quarter) -> const PeriodRow* {
    for (const QuarterRow& row : rows) {
      if (row.quarter == quarter) return &row;
    }
    return nullptr;
  };
  const auto find_whole_year = [&](int fiscal_year) -> const YearRow* {
    for (const YearRow& year : years) {
      if (year.fiscal_year == fiscal_year && year.complete) return &year;
    }
    return nullptr;
  };
  std::vector<PeriodColumn> columns;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const FiscalQuarter quarter = rows[i].quarter;
    columns.push_back({.row = &rows[i],
                       .year_before = find_quarter({quarter.fiscal_year - 1, quarter.quarter}),
                       .period_before = i > 0 ? &rows[i - 1] : nullptr});
    if (quarter.quarter != 4) continue;
    if (const YearRow* year = find_whole_year(quarter.fiscal_year)) {
      columns.push_back({.row = year, .year_before = find_whole_year(quarter.fiscal_year - 1)});
    }
  }
  return FormatPeriodTable(columns, /*quarter_on_quarter=*/true);
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
