#pragma once

// The road to breakeven: what the fleet earns against what it costs, for a
// window of days, and when the usage trend reaches the point where
// commissions pay for the network.
//
// The model (configured under `costs:`, config/sections/costs.h) is used
// where finance has not booked a period yet and for forecasting. Amounts are
// whole yen, 0 or more; an absent amount is 0, so without a `costs` key the
// model costs nothing and figures rest on the ledger alone.
//
// - Monthly amounts become daily ones as x 12 / 365: every day weighs the
//   same, so a trailing-7-day ratio does not jump at a month's end and a
//   year of days costs exactly twelve months.
// - Model costs split like the income statement: per-ATM and per-transaction
//   costs are "cost", the fixed monthly amount is "expenses".
//
// Which costs a window gets: the window is cut at fiscal-quarter boundaries;
// a whole fiscal quarter with COST bookings takes the ledger's cost, one with
// EXPENSE bookings the ledger's expenses; any other piece (a day, a week, the
// quarter in progress, a quarter finance has not booked) takes the model's
// cost or expenses. Ledger bookings are dated when finance books them, not
// spread over the days they cover, so only a whole quarter of them is a fair
// figure. The model's cost also takes the cash-in-transit cost that
// replenishment visits reported in the piece (ledger.h): with visits
// reporting it, leave cash logistics out of per_atm_monthly_yen. Revenue is
// always the commission from DailyUsage plus the ledger's other revenue.
//
// An ATM counts as in service from its first transaction on (DailyUsage).
// Pure functions over the records they are given; no state, no I/O.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/status.h"
#include "engine/calendar.h"
#include "engine/daily_usage.h"
#include "engine/day_range.h"
#include "engine/ledger.h"

namespace atmwatch::engine {

struct CostModel {
  // Each ATM in service: line, site rent, and cash logistics unless the
  // replenishment visits report their cost.
  int64_t per_atm_monthly_yen = 0;
  int64_t fixed_monthly_yen = 0;    // independent of the fleet: host system, staff, office
  int64_t per_transaction_yen = 0;  // each transaction: switching and settlement fees
};

// The records business figures are computed from, borrowed for one call.
struct BusinessRecords {
  const DailyUsage& usage;
  const Ledger& ledger;
  const Calendar& calendar;
  const CostModel& costs;
};

// Revenue and costs of a window of days, in yen.
struct PeriodFigures {
  int64_t commission_yen = 0;
  int64_t other_revenue_yen = 0;
  int64_t cost_yen = 0;
  int64_t expenses_yen = 0;
  uint64_t transactions = 0;
  int64_t atm_days = 0;  // ATMs in service summed over the days

  int64_t revenue_yen() const { return commission_yen + other_revenue_yen; }
  int64_t total_costs_yen() const { return cost_yen + expenses_yen; }
  int64_t operating_income_yen() const { return revenue_yen() - total_costs_yen(); }
  // revenue / costs; nullopt when the window costs nothing.
  std::optional<double> progress_ratio() const;
};

PeriodFigures FiguresFor(const BusinessRecords& records, DayRange range);

// The model's costs of a piece of time: `atm_days` ATMs in service summed
// over its `days`, and the transactions done in it.
PeriodFigures ModelCosts(const CostModel& model, int64_t days, int64_t atm_days,
                         uint64_t transactions);

// The windows the progress ratio is exported for, each ending on (and
// including) a given local day.
enum class ProgressWindow {
  kDay,
  kTrailing7Days,
  kQuarterToDate,
  kFiscalYearToDate,
};
DayRange WindowEndingOn(ProgressWindow window, const Calendar& calendar, int64_t day);

// Transactions per ATM per day at which commissions pay all costs:
//   daily costs / (atms x (commission per transaction - per-transaction cost))
// with daily costs = (per_atm_monthly x atms + fixed_monthly) x 12 / 365.
// nullopt when there is no ATM or a transaction does not earn its own cost.
std::optional<double> BreakevenTransactionsPerAtmDay(const CostModel& model, int64_t atms,
                                                     double commission_per_transaction);

// The same for the fleet in service on `day`, at the commission per
// transaction of the 28 days ending on `day` (four whole weeks, so the mix of
// weekday and weekend fees is the usual one).
inline constexpr int kCommissionWindowDays = 28;
std::optional<double> BreakevenTransactionsPerAtmDay(const BusinessRecords& records, int64_t day);

// Average transactions per ATM in service per day over a 7-day block.
struct WeeklyUsage {
  int64_t last_day = 0;
  double transactions_per_atm_day = 0;
};

// The `weeks` blocks of 7 days ending on `last_day`, oldest first; blocks in
// which no ATM was in service are left out.
std::vector<WeeklyUsage> WeeklyUsagePerAtm(const DailyUsage& usage, int64_t last_day, int weeks);

inline constexpr int kDefaultTrendWeeks = 13;
inline constexpr int kDefaultHorizonDays = 3 * 365;

// The day the usage trend reaches `breakeven` transactions per ATM per day:
// a least-squares line through the weekly points (each placed on its block's
// middle day), followed from `as_of_day`. Returns as_of_day when the line is
// already at or above breakeven there; nullopt ("not within the horizon")
// with fewer than two points, a slope <= 0, or a day more than
// `horizon_days` after as_of_day. The fleet and the commission per
// transaction are assumed to stay as they are.
std::optional<int64_t> ProjectBreakevenDay(std::span<const WeeklyUsage> weekly, double breakeven,
                                           int64_t as_of_day,
                                           int horizon_days = kDefaultHorizonDays);

// The same from the records: the 13 complete weeks before `as_of_day`
// (the day in progress would drag the newest point down all day long),
// followed from `as_of_day`, against its breakeven level.
std::optional<int64_t> ProjectBreakevenDay(const BusinessRecords& records, int64_t as_of_day);

}  // namespace atmwatch::engine
