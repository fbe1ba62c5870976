#pragma once

// What the plan's metrics show, as of the newest complete day of data:
// - the fiscal year's plan and where it will land (forecast.h), per quarter
//   and for the year, with the shortfall still counted as on plan;
// - breakeven against the plan's window: the first month whose operating
//   income was 0 or more, else the day the forecast reaches it;
// - the MVNO lines target at the current run-rate, against its deadline.
//
// Pure; the caller holds whatever lock guards the records.

#include <cstdint>
#include <optional>

#include "engine/breakeven.h"
#include "engine/forecast.h"
#include "engine/line_table.h"
#include "engine/plan.h"

namespace atmwatch::engine {

// The last day the plan's figures count: yesterday (today is not over), or
// the newest day of usage when the records end earlier (a history loaded to
// back-test the plan, or a fleet that stopped sending).
int64_t PlanAsOfDay(const DailyUsage& usage, int64_t today);

// How far the period's forecast operating income may fall below its plan
// and still count as on plan: plan.forecast_tolerance x the period's costs,
// as planned where the plan budgets both cost and expenses, else as
// forecast.
int64_t ForecastShortfallAllowed(const PeriodOutlook& period, double tolerance);

// The first day of the first whole calendar month, up to `as_of_day`, whose
// operating income was 0 or more. A month of a finished fiscal quarter with
// bookings takes its share of them by days (bookings are dated when finance
// books them, so only the quarter's total is fair); other months follow
// FiguresFor.
std::optional<int64_t> FirstBreakevenMonth(const BusinessRecords& records, int64_t as_of_day);

struct BreakevenOutlook {
  std::optional<int64_t> first_month;    // FirstBreakevenMonth
  std::optional<int64_t> projected_day;  // ProjectPlannedBreakevenDay, while no month has
  // Without a window in the plan: nullopt. Else the breakeven day (the
  // first month's first day, else the projected day) minus the window's
  // last day, in days (negative: ahead); +infinity when neither is known.
  std::optional<double> plan_slip_days;
};
BreakevenOutlook TrackBreakeven(const BusinessRecords& records, const Plan& plan,
                                int64_t as_of_day);

inline constexpr int kRunRateDays = 91;

struct LinesTargetOutlook {
  int64_t target = 0;
  int64_t deadline_day = 0;
  int64_t active_lines = 0;        // attached or in session now
  int64_t added_last_quarter = 0;  // net, the kRunRateDays ending on the as-of day
  // When the active lines reach the target at that rate (the as-of day when
  // they already have); nullopt when they do not grow.
  std::optional<int64_t> reached_day;
  double slip_days = 0;  // reached_day - deadline_day; +infinity when never
};
// nullopt when the plan has no MVNO lines target.
std::optional<LinesTargetOutlook> TrackLinesTarget(const LineTable& lines, const Plan& plan,
                                                   int64_t as_of_day, int64_t now_unix_ms);

}  // namespace atmwatch::engine
