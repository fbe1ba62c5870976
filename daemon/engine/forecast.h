#pragma once

// Where a fiscal year will land: the actual figures up to an as-of day, and
// a forecast of the rest, next to the plan.
//
// The method (the README's "Plan against actual" has it for operators):
// - Usage: a least-squares line through the transactions per ATM per day of
//   the 13 complete weeks ending on the as-of day, followed forward (never
//   below 0). The range is that line plus and minus 1.28 times the standard
//   deviation of the weeks around it: with weeks that scatter normally about
//   the trend, four in five future weeks fall inside.
// - Fleet: the ATMs the plan has for the quarter (or the year); without
//   one, the ATMs in service on the as-of day.
// - Revenue: transactions x the commission per transaction of the 28 days
//   ending on the as-of day. Other revenue is not forecast.
// - Costs: as planned, spread evenly over the days of the quarter (or the
//   year) the plan budgets them for; otherwise the cost model, changed where
//   the plan says it changes, over the forecast fleet and transactions.
// - Actual: the records up to the as-of day, with the breakeven rules for
//   the ledger (a whole quarter with bookings takes them).
//
// Pure; the caller holds whatever lock guards the records.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/breakeven.h"
#include "engine/plan.h"

namespace atmwatch::engine {

// Money of a period, in yen.
struct Money {
  int64_t revenue_yen = 0;
  int64_t cost_yen = 0;
  int64_t expenses_yen = 0;
  int64_t operating_income_yen() const { return revenue_yen - cost_yen - expenses_yen; }
};

// The forecast of a period and its range from the usage trend's spread.
struct MoneyRange {
  Money low;
  Money expected;
  Money high;
};

// Transactions per ATM per day along a line through weekly points.
struct UsageTrend {
  double intercept = 0;  // at local day number 0
  double slope = 0;      // per day
  double spread = 0;     // standard deviation of the weeks around the line
  int weeks = 0;

  double At(int64_t day) const { return intercept + slope * static_cast<double>(day); }
};

// The line through the weeks; nullopt with fewer than two.
std::optional<UsageTrend> FitUsageTrend(std::span<const WeeklyUsage> weekly);

struct PeriodOutlook {
  std::string label;  // "1Q10", "FY2010"
  DayRange days;
  bool started = false;   // has days up to the as-of day
  bool finished = false;  // all its days are up to the as-of day
  Money actual;           // its days up to the as-of day
  MoneyRange forecast;    // the whole period: actual + the rest as forecast
  PlanMoney plan;
};

// What the forecast carries forward from the records up to the as-of day.
struct ForecastBasis {
  std::optional<UsageTrend> trend;
  int64_t fleet_atms = 0;  // in service on the as-of day
  double commission_per_transaction_yen = 0;
  double recent_usage = 0;  // without a trend: the last 7 days' level
  // Replenishment visits' cash-in-transit cost per ATM-day in service over
  // the commission window: the model's cost carries it forward.
  double cash_in_transit_per_atm_day_yen = 0;
};

ForecastBasis ForecastBasisAsOf(const BusinessRecords& records, int64_t as_of_day);

struct FiscalYearOutlook {
  int fiscal_year = 0;
  int64_t as_of_day = 0;  // the last day whose records count
  ForecastBasis basis;
  std::vector<PeriodOutlook> quarters;
  PeriodOutlook year;
};

inline constexpr double kForecastRangeDeviations = 1.28;

// Only records up to `as_of_day` count; later days are forecast.
FiscalYearOutlook ForecastFiscalYear(const BusinessRecords& records, const Plan& plan,
                                     int fiscal_year, int64_t as_of_day);

// The first day, from `as_of_day` on, whose forecast (expected usage, the
// plan's fleet and costs, as above) earns its costs: breakeven as the plan
// sees it, so planned cost cuts bring it closer. nullopt with fewer than two
// weeks of usage or when it is more than `horizon_days` away.
std::optional<int64_t> ProjectPlannedBreakevenDay(const BusinessRecords& records, const Plan& plan,
                                                  int64_t as_of_day,
                                                  int horizon_days = kDefaultHorizonDays);

}  // namespace atmwatch::engine
