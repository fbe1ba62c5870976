#include "engine/forecast.h"

#include <algorithm>
#include <cmath>

namespace atmwatch::engine {
namespace {

Money MoneyOf(const PeriodFigures& figures) {
  return {figures.revenue_yen(), figures.cost_yen, figures.expenses_yen};
}

Money& operator+=(Money& sum, const Money& more) {
  sum.revenue_yen += more.revenue_yen;
  sum.cost_yen += more.cost_yen;
  sum.expenses_yen += more.expenses_yen;
  return sum;
}

// The year's budget, or the sum of its four quarters' where the year is
// silent and every quarter has the figure.
PlanMoney YearBudget(const FiscalYearPlan& year) {
  PlanMoney budget = year.budget;
  const auto sum_quarters =
      [&](std::optional<int64_t> PlanMoney::*field) -> std::optional<int64_t> {
    int64_t sum = 0;
    for (int q = 1; q <= 4; ++q) {
      const QuarterPlan* quarter = FindQuarter(year, q);
      if (quarter == nullptr || !(quarter->budget.*field)) return std::nullopt;
      sum += *(quarter->budget.*field);
    }
    return sum;
  };
  for (auto field : {&PlanMoney::revenue_yen, &PlanMoney::cost_yen, &PlanMoney::expenses_yen,
                     &PlanMoney::operating_income_yen}) {
    if (!(budget.*field)) budget.*field = sum_quarters(field);
  }
  return budget;
}

// What the forecast assumes for the days after the as-of day. Days come a
// quarter at a time (Enter), so the plan is looked up per quarter, not per
// day.
class DayForecaster {
 public:
  DayForecaster(const BusinessRecords& records, const Plan& plan, const ForecastBasis& basis)
      : records_(records), plan_(plan), basis_(basis) {}

  void Enter(FiscalQuarter quarter) {
    quarter_ = quarter;
    year_plan_ = plan_.FiscalYear(quarter.fiscal_year);
    quarter_plan_ = year_plan_ != nullptr ? FindQuarter(*year_plan_, quarter.quarter) : nullptr;
    fleet_ = basis_.fleet_atms;
    if (quarter_plan_ != nullptr && quarter_plan_->atms) {
      fleet_ = *quarter_plan_->atms;
    } else if (year_plan_ != nullptr && year_plan_->atms) {
      fleet_ = *year_plan_->atms;
    }
  }

  // The low, expected and high money of `day`, a day of the entered quarter.
  void Add(int64_t day, MoneyRange* out) const {
    const double centre = Centre(day);
    const double reach = basis_.trend ? kForecastRangeDeviations * basis_.trend->spread : 0.0;
    out->low += DayMoney(day, std::max(0.0, centre - reach));
    out->expected += DayMoney(day, std::max(0.0, centre));
    out->high += DayMoney(day, std::max(0.0, centre + reach));
  }

  Money Expected(int64_t day) const { return DayMoney(day, std::max(0.0, Centre(day))); }

 private:
  double Centre(int64_t day) const {
    return basis_.trend ? basis_.trend->At(day) : basis_.recent_usage;
  }

  Money DayMoney(int64_t day, double usage_per_atm) const {
    const double transactions = usage_per_atm * static_cast<double>(fleet_);
    Money money;
    money.revenue_yen = std::llround(transactions * basis_.commission_per_transaction_yen);
    const PeriodFigures modelled = ModelCosts(plan_.CostsOn(day, records_.costs), 1, fleet_,
                                              static_cast<uint64_t>(std::llround(transactions)));
    const int64_t visits_yen =
        std::llround(basis_.cash_in_transit_per_atm_day_yen * static_cast<double>(fleet_));
    money.cost_yen = PlannedShare(&PlanMoney::cost_yen).value_or(modelled.cost_yen + visits_yen);
    money.expenses_yen = PlannedShare(&PlanMoney::expenses_yen).value_or(modelled.expenses_yen);
    return money;
  }

  // A day's even share of what the plan budgets for the quarter, else for
  // the year.
  std::optional<int64_t> PlannedShare(std::optional<int64_t> PlanMoney::*field) const {
    if (quarter_plan_ != nullptr && quarter_plan_->budget.*field) {
      return *(quarter_plan_->budget.*field) / QuarterDays(records_.calendar, quarter_).days();
    }
    if (year_plan_ != nullptr && year_plan_->budget.*field) {
      return *(year_plan_->budget.*field) /
             FiscalYearDays(records_.calendar, quarter_.fiscal_year).days();
    }
    return std::nullopt;
  }

  const BusinessRecords& records_;
  const Plan& plan_;
  const ForecastBasis& basis_;
  FiscalQuarter quarter_;
  const FiscalYearPlan* year_plan_ = nullptr;
  const QuarterPlan* quarter_plan_ = nullptr;
  int64_t fleet_ = 0;
};

}  // namespace

std::optional<UsageTrend> FitUsageTrend(std::span<const WeeklyUsage> weekly) {
  if (weekly.size() < 2) return std::nullopt;
  const double n = static_cast<double>(weekly.size());
  double mean_x = 0, mean_y = 0;
  for (const WeeklyUsage& week : weekly) {
    mean_x += static_cast<double>(week.last_day - 3);  // the block's middle day
    mean_y += week.transactions_per_atm_day;
  }
  mean_x /= n;
  mean_y /= n;
  double sxx = 0, sxy = 0;
  for (const WeeklyUsage& week : weekly) {
    const double dx = static_cast<double>(week.last_day - 3) - mean_x;
    sxx += dx * dx;
    sxy += dx * (week.transactions_per_atm_day - mean_y);
  }
  if (sxx == 0) return std::nullopt;
  UsageTrend trend;
  trend.slope = sxy / sxx;
  trend.intercept = mean_y - trend.slope * mean_x;
  trend.weeks = static_cast<int>(weekly.size());
  double squares = 0;
  for (const WeeklyUsage& week : weekly) {
    const double residual = week.transactions_per_atm_day - trend.At(week.last_day - 3);
    squares += residual * residual;
  }
  // Two parameters were fitted: n - 2 degrees of freedom left.
  trend.spread = weekly.size() > 2 ? std::sqrt(squares / (n - 2)) : 0.0;
  return trend;
}

ForecastBasis ForecastBasisAsOf(const BusinessRecords& records, int64_t as_of_day) {
  ForecastBasis basis;
  basis.trend = FitUsageTrend(WeeklyUsagePerAtm(records.usage, as_of_day, kDefaultTrendWeeks));
  basis.fleet_atms = records.usage.AtmDaysInService({as_of_day, as_of_day});
  const DayRange recent_days{as_of_day - kCommissionWindowDays + 1, as_of_day};
  const UsageTotals recent = records.usage.FleetTotals(recent_days);
  if (recent.Transactions() > 0) {
    basis.commission_per_transaction_yen =
        static_cast<double>(recent.commission_yen) / static_cast<double>(recent.Transactions());
  }
  if (const int64_t atm_days = records.usage.AtmDaysInService(recent_days); atm_days > 0) {
    basis.cash_in_transit_per_atm_day_yen =
        static_cast<double>(records.ledger.Totals(recent_days).cash_in_transit_yen) /
        static_cast<double>(atm_days);
  }
  const DayRange last_week{as_of_day - 6, as_of_day};
  if (const int64_t atm_days = records.usage.AtmDaysInService(last_week); atm_days > 0) {
    basis.recent_usage = static_cast<double>(records.usage.FleetTotals(last_week).Transactions()) /
                         static_cast<double>(atm_days);
  }
  return basis;
}

FiscalYearOutlook ForecastFiscalYear(const BusinessRecords& records, const Plan& plan,
                                     int fiscal_year, int64_t as_of_day) {
  FiscalYearOutlook outlook;
  outlook.fiscal_year = fiscal_year;
  outlook.as_of_day = as_of_day;
  outlook.basis = ForecastBasisAsOf(records, as_of_day);
  const FiscalYearPlan* year_plan = plan.FiscalYear(fiscal_year);
  DayForecaster forecaster(records, plan, outlook.basis);
  for (int q = 1; q <= 4; ++q) {
    const FiscalQuarter quarter{fiscal_year, q};
    const DayRange days = QuarterDays(records.calendar, quarter);
    PeriodOutlook period;
    period.label = QuarterLabel(quarter);
    period.days = days;
    period.started = days.first <= as_of_day;
    period.finished = days.last <= as_of_day;
    if (period.started) {
      period.actual = MoneyOf(FiguresFor(records, {days.first, std::min(days.last, as_of_day)}));
    }
    period.forecast = {period.actual, period.actual, period.actual};
    forecaster.Enter(quarter);
    for (int64_t day = std::max(days.first, as_of_day + 1); day <= days.last; ++day) {
      forecaster.Add(day, &period.forecast);
    }
    if (year_plan != nullptr) {
      if (const QuarterPlan* quarter_plan = FindQuarter(*year_plan, q)) {
        period.plan = quarter_plan->budget;
      }
    }
    outlook.quarters.push_back(std::move(period));
  }
  // The year is its quarters: each quarter's actual follows the ledger rule
  // for whole quarters, which one figure over the year's days would not.
  outlook.year.label = FiscalYearLabel(fiscal_year);
  outlook.year.days = FiscalYearDays(records.calendar, fiscal_year);
  outlook.year.started = outlook.quarters.front().started;
  outlook.year.finished = outlook.quarters.back().finished;
  for (const PeriodOutlook& quarter : outlook.quarters) {
    outlook.year.actual += quarter.actual;
    outlook.year.forecast.low += quarter.forecast.low;
    outlook.year.forecast.expected += quarter.forecast.expected;
    outlook.year.forecast.high += quarter.forecast.high;
  }
  if (year_plan != nullptr) outlook.year.plan = YearBudget(*year_plan);
  return outlook;
}

std::optional<int64_t> ProjectPlannedBreakevenDay(const BusinessRecords& records, const Plan& plan,
                                                  int64_t as_of_day, int horizon_days) {
  const ForecastBasis basis = ForecastBasisAsOf(records, as_of_day);
  if (!basis.trend) return std::nullopt;
  DayForecaster forecaster(records, plan, basis);
  const int64_t last = as_of_day + horizon_days;
  for (FiscalQuarter quarter = records.calendar.FiscalQuarterOf(DateOfDayNumber(as_of_day));;
       quarter = NextQuarter(quarter)) {
    const DayRange days = QuarterDays(records.calendar, quarter);
    forecaster.Enter(quarter);
    for (int64_t day = std::max(days.first, as_of_day); day <= std::min(days.last, last); ++day) {
      if (forecaster.Expected(day).operating_income_yen() >= 0) return day;
    }
    if (days.last >= last) return std::nullopt;
  }
}

}  // namespace atmwatch::engine
