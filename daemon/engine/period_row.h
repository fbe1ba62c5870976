#pragma once

// One period of the fiscal reports (a quarter or a fiscal year): the money
// and usage figures of its days, as the investor-relations tables show them.

#include <chrono>
#include <cstdint>
#include <string>

#include "engine/breakeven.h"
#include "engine/day_range.h"

namespace atmwatch::engine {

struct PeriodRow {
  std::string label;                  // "1Q08", "FY2008"
  std::chrono::year_month_day start;  // local dates; the period in progress
  std::chrono::year_month_day end;    // ends on the as-of day
  int64_t revenue_yen = 0;            // commission + other revenue
  int64_t cost_yen = 0;
  int64_t expenses_yen = 0;
  int64_t total_yen = 0;  // cost + expenses
  int64_t operating_income_yen = 0;
  int64_t atms = 0;           // ATMs with any transaction in the period
  double tx_per_atm_day = 0;  // transactions / ATM-days in service
  bool complete = false;      // ends on the period's last day, not cut at the as-of day

  int64_t gross_profit_yen() const { return revenue_yen - cost_yen; }
};

// The figures of the period's `days` up to `as_of_day` (see breakeven.h for
// where costs come from). Pure; the caller holds whatever lock guards the
// records.
PeriodRow PeriodRowFor(const BusinessRecords& records, DayRange days, int64_t as_of_day,
                       std::string label);

}  // namespace atmwatch::engine
