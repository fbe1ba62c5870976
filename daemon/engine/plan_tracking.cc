#include "engine/plan_tracking.h"

#include <algorithm>
#include <chrono>
#include <limits>

namespace atmwatch::engine {
namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

// The month's figures, its costs shared out of its quarter's bookings when
// the quarter is over and booked.
PeriodFigures MonthFigures(const BusinessRecords& records, DayRange month, int64_t as_of_day) {
  PeriodFigures figures = FiguresFor(records, month);
  const DayRange quarter =
      QuarterDays(records.calendar, records.calendar.FiscalQuarterOf(DateOfDayNumber(month.first)));
  if (quarter.last > as_of_day) return figures;
  const LedgerTotals booked = records.ledger.Totals(quarter);
  const auto share = [&](int64_t yen) { return yen * month.days() / quarter.days(); };
  if (booked.cost_entries > 0) figures.cost_yen = share(booked.cost_yen);
  if (booked.expense_entries > 0) figures.expenses_yen = share(booked.expenses_yen);
  return figures;
}

}  // namespace

int64_t PlanAsOfDay(const DailyUsage& usage, int64_t today) {
  const std::optional<int64_t> latest = usage.latest_day();
  return latest && *latest < today ? *latest : today - 1;
}

int64_t ForecastShortfallAllowed(const PeriodOutlook& period, double tolerance) {
  int64_t costs = period.forecast.expected.cost_yen + period.forecast.expected.expenses_yen;
  if (period.plan.cost_yen && period.plan.expenses_yen) {
    costs = *period.plan.cost_yen + *period.plan.expenses_yen;
  }
  return static_cast<int64_t>(tolerance * static_cast<double>(costs));
}

std::optional<int64_t> FirstBreakevenMonth(const BusinessRecords& records, int64_t as_of_day) {
  const std::optional<int64_t> earliest = records.usage.earliest_day();
  if (!earliest) return std::nullopt;
  using std::chrono::year_month_day;
  const year_month_day first_date = DateOfDayNumber(*earliest);
  for (std::chrono::year_month month = first_date.year() / first_date.month();;
       month += std::chrono::months(1)) {
    const DayRange days{DayNumberOf(month / 1), DayNumberOf(month / std::chrono::last)};
    if (days.last > as_of_day) return std::nullopt;
    if (MonthFigures(records, days, as_of_day).operating_income_yen() >= 0) return days.first;
  }
}

BreakevenOutlook TrackBreakeven(const BusinessRecords& records, const Plan& plan,
                                int64_t as_of_day) {
  BreakevenOutlook outlook;
  outlook.first_month = FirstBreakevenMonth(records, as_of_day);
  if (!outlook.first_month) {
    outlook.projected_day = ProjectPlannedBreakevenDay(records, plan, as_of_day);
  }
  if (plan.breakeven) {
    const std::optional<int64_t> day =
        outlook.first_month ? outlook.first_month : outlook.projected_day;
    outlook.plan_slip_days =
        day ? static_cast<double>(*day - DayNumberOf(plan.breakeven->last)) : kNever;
  }
  return outlook;
}

std::optional<LinesTargetOutlook> TrackLinesTarget(const LineTable& lines, const Plan& plan,
                                                   int64_t as_of_day, int64_t now_unix_ms) {
  if (!plan.mvno_lines) return std::nullopt;
  LinesTargetOutlook outlook;
  outlook.target = plan.mvno_lines->lines;
  outlook.deadline_day = DayNumberOf(plan.mvno_lines->deadline);
  for (const CarrierTotals& totals : lines.Totals(now_unix_ms)) {
    outlook.active_lines +=
        static_cast<int64_t>(totals.lines[static_cast<std::size_t>(LineState::kAttached)] +
                             totals.lines[static_cast<std::size_t>(LineState::kInSession)]);
  }
  outlook.added_last_quarter =
      lines.activations().NetOver({as_of_day - kRunRateDays + 1, as_of_day});
  const int64_t missing = outlook.target - outlook.active_lines;
  if (missing <= 0) {
    outlook.reached_day = as_of_day;
  } else if (outlook.added_last_quarter > 0) {
    // Whole days, rounded up: the day the last missing line is due.
    outlook.reached_day = as_of_day + (missing * kRunRateDays + outlook.added_last_quarter - 1) /
                                          outlook.added_last_quarter;
  }
  outlook.slip_days = outlook.reached_day
                          ? static_cast<double>(*outlook.reached_day - outlook.deadline_day)
                          : kNever;
  return outlook;
}

}  // namespace atmwatch::engine
