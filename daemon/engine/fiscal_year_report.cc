#include "engine/fiscal_year_report.h"

#include <cstdio>

#include "engine/period_table.h"
#include "engine/report_text.h"

namespace atmwatch::engine {

std::vector<YearRow> BuildYearRows(const BusinessRecords& records, int first, int last,
                                   int64_t as_of_day) {
  std::vector<YearRow> rows;
  for (int year = first; year <= last; ++year) {
    const DayRange days = FiscalYearDays(records.calendar, year);
    if (days.first > as_of_day) break;
    YearRow row;
    static_cast<PeriodRow&>(row) = PeriodRowFor(records, days, as_of_day, FiscalYearLabel(year));
    row.fiscal_year = year;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string FormatYearCsv(std::span<const YearRow> rows) {
  std::string csv =
      "fiscal_year,start,end,revenue,cost,expenses,total,gross_profit,operating_income,atms,"
      "tx_per_atm_day\n";
  for (const YearRow& row : rows) {
    csv += row.label + "," + FormatDate(row.start) + "," + FormatDate(row.end) + "," +
           FormatYenMillions(row.revenue_yen) + "," + FormatYenMillions(row.cost_yen) + "," +
           FormatYenMillions(row.expenses_yen) + "," + FormatYenMillions(row.total_yen) + "," +
           FormatYenMillions(row.gross_profit_yen()) + "," +
           FormatYenMillions(row.operating_income_yen) + "," + std::to_string(row.atms) + "," +
           FormatOneDecimal(row.tx_per_atm_day) + "\n";
  }
  return csv;
}

std::string FormatYearTable(std::span<const YearRow> rows) {
  std::vector<PeriodColumn> columns;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const bool consecutive = i > 0 && rows[i - 1].fiscal_year + 1 == rows[i].fiscal_year;
    columns.push_back({.row = &rows[i], .year_before = consecutive ? &rows[i - 1] : nullptr});
  }
  return FormatPeriodTable(columns, /*quarter_on_quarter=*/false);
}

std::string FormatYearJson(std::span<const YearRow> rows, std::chrono::year_month_day as_of) {
  std::string json = "{\"as_of\":\"" + FormatDate(as_of) + "\",\"fiscal_years\":[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const YearRow& row = rows[i];
    char usage[64];
    std::snprintf(usage, sizeof usage, "%.3f", row.tx_per_atm_day);
    json += (i == 0 ? "{" : ",{");
    json += "\"fiscal_year\":\"" + row.label + "\",\"start\":\"" + FormatDate(row.start) +
            "\",\"end\":\"" + FormatDate(row.end) +
            "\",\"complete\":" + (row.complete ? "true" : "false") +
            ",\"revenue_yen\":" + std::to_string(row.revenue_yen) +
            ",\"cost_yen\":" + std::to_string(row.cost_yen) +
            ",\"expenses_yen\":" + std::to_string(row.expenses_yen) +
            ",\"total_yen\":" + std::to_string(row.total_yen) +
            ",\"gross_profit_yen\":" + std::to_string(row.gross_profit_yen()) +
            ",\"operating_income_yen\":" + std::to_string(row.operating_income_yen) +
            ",\"atms\":" + std::to_string(row.atms) + ",\"tx_per_atm_day\":" + usage + "}";
  }
  return json + "]}\n";
}

}  // namespace atmwatch::engine
