#pragma once

// The fiscal-quarter table of the investor-relations decks: revenue, cost,
// expenses, total, operating income, fleet size and usage per quarter, built
// from the records (see breakeven.h for where costs come from) and printed
// as CSV or as a text table.
//
// Pure functions; the caller holds whatever lock guards the records.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/breakeven.h"
#include "engine/calendar.h"

namespace atmwatch::engine {

struct QuarterRow {
  FiscalQuarter quarter;
  std::string label;                  // "1Q08"
  std::chrono::year_month_day start;  // local dates; the quarter in progress
  std::chrono::year_month_day end;    // ends on the as-of day
  int64_t revenue_yen = 0;            // commission + other revenue
  int64_t cost_yen = 0;
  int64_t expenses_yen = 0;
  int64_t total_yen = 0;  // cost + expenses
  int64_t operating_income_yen = 0;
  int64_t atms = 0;           // ATMs with any transaction in the quarter
  double tx_per_atm_day = 0;  // transactions / ATM-days in service
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

// Rows revenue .. transactions per ATM per day, a column per quarter.
std::string FormatQuarterTable(std::span<const QuarterRow> rows);

// {"as_of": "YYYY-MM-DD", "quarters": [{"quarter": "1Q08", "fiscal_year":
// 2008, "fiscal_quarter": 1, "start", "end", "revenue_yen", "cost_yen",
// "expenses_yen", "total_yen", "operating_income_yen", "atms",
// "tx_per_atm_day"}, ...]}: money in whole yen, for machines.
std::string FormatQuarterJson(std::span<const QuarterRow> rows, std::chrono::year_month_day as_of);

// Yen as JPY million with one decimal, rounded half away from zero:
// 67'049'999 -> "67.0", -150'000 -> "-0.2".
std::string FormatYenMillions(int64_t yen);

}  // namespace atmwatch::engine
