#pragma once

// The fiscal-quarter table of the investor-relations decks: revenue, cost,
// gross profit, expenses, total, operating income, fleet size and usage per
// quarter, built from the records (see breakeven.h for where costs come
// from) and printed as CSV, JSON or as a text table that also carries each
// whole fiscal year after its fourth quarter.
//
// Pure functions; the caller holds whatever lock guards the records.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/fiscal_year_report.h"
#include "engine/period_row.h"

namespace atmwatch::engine {

struct QuarterRow : PeriodRow {
  FiscalQuarter quarter;
};

// One row per fiscal quarter from `first` to `last`, both included. A quarter
// that starts after `as_of_day` is left out; the one containing it is cut
// there (and so takes model costs, see breakeven.h).
std::vector<QuarterRow> BuildQuarterRows(const BusinessRecords& records, FiscalQuarter first,
                                         FiscalQuarter last, int64_t as_of_day);

// Header `quarter,start,end,revenue,cost,expenses,total,operating_income,
// atms,tx_per_atm_day`, then one line per row; money in JPY million with one
// decimal, dates YYYY-MM-DD, usage with one decimal.
std::string FormatQuarterCsv(std::span<const QuarterRow> rows);

// Lines revenue .. transactions per ATM per day, a column per quarter, with
// the change year on year and quarter on quarter under revenue and operating
// income; after a fourth quarter, the column of its fiscal year when `years`
// has it whole.
std::string FormatQuarterTable(std::span<const QuarterRow> rows, std::span<const YearRow> years);

// {"as_of": "YYYY-MM-DD", "quarters": [{"quarter": "1Q08", "fiscal_year":
// 2008, "fiscal_quarter": 1, "start", "end", "revenue_yen", "cost_yen",
// "expenses_yen", "total_yen", "operating_income_yen", "atms",
// "tx_per_atm_day"}, ...]}: money in whole yen, for machines.
std::string FormatQuarterJson(std::span<const QuarterRow> rows, std::chrono::year_month_day as_of);

}  // namespace atmwatch::engine
