#include "engine/breakeven.h"

#include <cmath>
#include <string>

namespace atmwatch::engine {
namespace {

constexpr int64_t kMonthsPerYear = 12;
constexpr int64_t kDaysPerYear = 365;

// Monthly yen x units of a day (days or ATM-days), rounded to whole yen.
int64_t MonthlyToYen(int64_t monthly_yen, int64_t day_units) {
  const int64_t numerator = monthly_yen * kMonthsPerYear * day_units;
  const int64_t half = numerator >= 0 ? kDaysPerYear / 2 : -(kDaysPerYear / 2);
  return (numerator + half) / kDaysPerYear;
}

}  // namespace

std::optional<double> PeriodFigures::progress_ratio() const {
  if (total_costs_yen() == 0) return std::nullopt;
  return static_cast<double>(revenue_yen()) / static_cast<double>(total_costs_yen());
}

PeriodFigures ModelCosts(const CostModel& model, int64_t days, int64_t atm_days,
                         uint64_t transactions) {
  PeriodFigures figures;
  figures.cost_yen = MonthlyToYen(model.per_atm_monthly_yen, atm_days) +
                     model.per_transaction_yen * static_cast<int64_t>(transactions);
  figures.expenses_yen = MonthlyToYen(model.fixed_monthly_yen, days);
  figures.transactions = transactions;
  figures.atm_days = atm_days;
  return figures;
}

PeriodFigures FiguresFor(const BusinessRecords& records, DayRange range) {
  PeriodFigures figures;
  if (range.days() == 0) return figures;
  const UsageTotals usage = records.usage.FleetTotals(range);
  figures.commission_yen = usage.commission_yen;
  figures.transactions = usage.Transactions();
  figures.atm_days = records.usage.AtmDaysInService(range);
  figures.other_revenue_yen = records.ledger.Totals(range).other_revenue_yen;

  FiscalQuarter quarter = records.calendar.FiscalQuarterOf(DateOfDayNumber(range.first));
  for (DayRange days = QuarterDays(records.calendar, quarter); days.first <= range.last;
       quarter = NextQuarter(quarter), days = QuarterDays(records.calendar, quarter)) {
    const DayRange piece = Intersect(range, days);
    const LedgerTotals booked = records.ledger.Totals(days);
    const bool whole = piece == days;
    const PeriodFigures modelled =
        ModelCosts(records.costs, piece.days(), records.usage.AtmDaysInService(piece),
                   records.usage.FleetTotals(piece).Transactions());
    if (whole && booked.cost_entries > 0) {
      figures.cost_yen += booked.cost_yen;
    } else {
      const int64_t visits_yen =
          (whole ? booked : records.ledger.Totals(piece)).cash_in_transit_yen;
      figures.cost_yen += modelled.cost_yen + visits_yen;
    }
    figures.expenses_yen +=
        whole && booked.expense_entries > 0 ? booked.expenses_yen : modelled.expenses_yen;
  }
  return figures;
}

DayRange WindowEndingOn(ProgressWindow window, const Calendar& calendar, int64_t day) {
  const std::chrono::year_month_day date = DateOfDayNumber(day);
  switch (window) {
    case ProgressWindow::kDay:
      return {day, day};
    case ProgressWindow::kTrailing7Days:
      return {day - 6, day};
    case ProgressWindow::kQuarterToDate:
      return {QuarterDays(calendar, calendar.FiscalQuarterOf(date)).first, day};
    case ProgressWindow::kFiscalYearToDate:
      return {FiscalYearDays(calendar, calendar.FiscalYearOf(date)).first, day};
  }
  return {day, day};
}

std::optional<double> BreakevenTransactionsPerAtmDay(const CostModel& model, int64_t atms,
                                                     double commission_per_transaction) {
  const double margin = commission_per_transaction - static_cast<double>(model.per_transaction_yen);
  if (atms <= 0 || margin <= 0) return std::nullopt;
  const double monthly_costs = static_cast<double>(model.per_atm_monthly_yen) * atms +
                               static_cast<double>(model.fixed_monthly_yen);
  const double daily_costs = monthly_costs * kMonthsPerYear / kDaysPerYear;
  return daily_costs / (static_cast<double>(atms) * margin);
}

std::optional<double> BreakevenTransactionsPerAtmDay(const BusinessRecords& records, int64_t day) {
  const UsageTotals recent = records.usage.FleetTotals({day - kCommissionWindowDays + 1, day});
  if (recent.Transactions() == 0) return std::nullopt;
  const double commission_per_transaction =
      static_cast<double>(recent.commission_yen) / static_cast<double>(recent.Transactions());
  return BreakevenTransactionsPerAtmDay(records.costs,
                                        static_cast<int64_t>(records.usage.AtmsInService(day)),
                                        commission_per_transaction);
}

std::vector<WeeklyUsage> WeeklyUsagePerAtm(const DailyUsage& usage, int64_t last_day, int weeks) {
  std::vector<WeeklyUsage> weekly;
  for (int back = weeks - 1; back >= 0; --back) {
    const int64_t block_last = last_day - 7 * int64_t{back};
    const DayRange block{block_last - 6, block_last};
    const int64_t atm_days = usage.AtmDaysInService(block);
    if (atm_days == 0) continue;
    weekly.push_back({block_last, static_cast<double>(usage.FleetTotals(block).Transactions()) /
                                      static_cast<double>(atm_days)});
  }
  return weekly;
}

std::optional<int64_t> ProjectBreakevenDay(std::span<const WeeklyUsage> weekly, double breakeven,
                                           int64_t as_of_day, int horizon_days) {
  if (weekly.size() < 2) return std::nullopt;
  // Days are centred on as_of_day so the sums stay small and exact in a double.
  auto x_of = [as_of_day](const WeeklyUsage& week) {
    return static_cast<double>(week.last_day - 3 - as_of_day);
  };
  double mean_x = 0;
  double mean_y = 0;
  for (const WeeklyUsage& week : weekly) {
    mean_x += x_of(week);
    mean_y += week.transactions_per_atm_day;
  }
  mean_x /= static_cast<double>(weekly.size());
  mean_y /= static_cast<double>(weekly.size());
  double sxx = 0;
  double sxy = 0;
  for (const WeeklyUsage& week : weekly) {
    sxx += (x_of(week) - mean_x) * (x_of(week) - mean_x);
    sxy += (x_of(week) - mean_x) * (week.transactions_per_atm_day - mean_y);
  }
  if (sxx == 0) return std::nullopt;
  const double slope_per_day = sxy / sxx;
  const double level_today = mean_y - slope_per_day * mean_x;
  if (level_today >= breakeven) return as_of_day;
  if (slope_per_day <= 0) return std::nullopt;
  const double days_to_go = std::ceil((breakeven - level_today) / slope_per_day);
  if (days_to_go > horizon_days) return std::nullopt;
  return as_of_day + static_cast<int64_t>(days_to_go);
}

std::optional<int64_t> ProjectBreakevenDay(const BusinessRecords& records, int64_t as_of_day) {
  std::optional<double> breakeven = BreakevenTransactionsPerAtmDay(records, as_of_day);
  if (!breakeven) return std::nullopt;
  const std::vector<WeeklyUsage> weekly =
      WeeklyUsagePerAtm(records.usage, as_of_day - 1, kDefaultTrendWeeks);
  return ProjectBreakevenDay(weekly, *breakeven, as_of_day);
}

}  // namespace atmwatch::engine
