#pragma once

// The fiscal-year figures of the investor-relations reports: revenue, cost,
// gross profit, expenses, operating income, fleet and usage per fiscal year,
// built from the records as the quarters are (see quarter_report.h), and
// printed as CSV, JSON or a text table with the change year on year.
//
// Pure functions; the caller holds whatever lock guards the records.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/period_row.h"

namespace atmwatch::engine {

struct YearRow : PeriodRow {
  int fiscal_year = 0;
};

// One row per fiscal year from `first` to `last`, both included. A year that
// starts after `as_of_day` is left out; the one containing it is cut there.
std::vector<YearRow> BuildYearRows(const BusinessRecords& records, int first, int last,
                                   int64_t as_of_day);

// Header `fiscal_year,start,end,revenue,cost,expenses,total,gross_profit,
// operating_income,atms,tx_per_atm_day`, then one line per row: money in JPY
// million with one decimal, as the quarter CSV.
std::string FormatYearCsv(std::span<const YearRow> rows);

// Revenue .. transactions per ATM per day, a column per fiscal year, with
// the change against the year before.
std::string FormatYearTable(std::span<const YearRow> rows);

// {"as_of": "YYYY-MM-DD", "fiscal_years": [{"fiscal_year": "FY2009", "start",
// "end", "complete", "revenue_yen", "cost_yen", "expenses_yen", "total_yen",
// "gross_profit_yen", "operating_income_yen", "atms", "tx_per_atm_day"},
// ...]}: money in whole yen.
std::string FormatYearJson(std::span<const YearRow> rows, std::chrono::year_month_day as_of);

}  // namespace atmwatch::engine
