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

// What the forecast assumes for the days after the as-of day.
class DayForecaster {
 public:
  DayForecaster(const BusinessRecords& records, const Plan& plan, const FiscalYearPlan* year_plan,
                const FiscalYearOutlook& outlook)
      : records_(records), plan_(plan), year_plan_(year_plan), outlook_(outlook) {
    const DayRange recent{outlook.as_of_day - 6, outlook.as_of_day};
    const int64_t atm_days = records.usage.AtmDaysInService(recent);
    if (atm_days > 0) {
      recent_usage_ = static_cast<double>(records.usage.FleetTotals(recent).Transactions()) /
                      static_cast<double>(atm_days);
    }
  }

  // The low, expected and high money of `day`, a day of `quarter`.
  void Add(int64_t day, FiscalQuarter quarter, MoneyRange* out) const {
    const QuarterPlan* quarter_plan =
        year_plan_ != nullptr ? FindQuarter(*year_plan_, quarter.quarter) : nullptr;
    int64_t fleet = outlook_.fleet_atms;
    if (quarter_plan != nullptr && quarter_plan->atms) {
      fleet = *quarter_plan->atms;
    } else if (year_plan_ != nullptr && year_plan_->atms) {
      fleet = *year_plan_->atms;
    }
    const double centre = outlook_.trend ? outlook_.trend->At(day) : recent_usage_;
    const double reach = outlook_.trend ? kForecastRangeDeviations * outlook_.trend->spread : 0.0;
    out->low += DayMoney(day, quarter, quarter_plan, fleet, std::max(0.0, centre - reach));
    out->expected += DayMoney(day, quarter, quarter_plan, fleet, std::max(0.0, centre));
    out->high += DayMoney(day, quarter, quarter_plan, fleet, std::max(0.0, centre + reach));
  }

 private:
  Money DayMoney(int64_t day, FiscalQuarter quarter, const QuarterPlan* quarter_plan, int64_t fleet,
                 double usage_per_atm) const {
    const double transactions = usage_per_atm * static_cast<double>(fleet);
    Money money;
    money.revenue_yen = std::llround(transactions * outlook_.commission_per_transaction_yen);
    const PeriodFigures modelled = ModelCosts(plan_.CostsOn(day, records_.costs), 1, fleet,
                                              static_cast<uint64_t>(std::llround(transactions)));
    money.cost_yen =
        PlannedShare(quarter, quarter_plan, &PlanMoney::cost_yen).value_or(modelled.cost_yen);
    money.expenses_yen = PlannedShare(quarter, quarter_plan, &PlanMoney::expenses_yen)
                             .value_or(modelled.expenses_yen);
    return money;
  }

  // A day's even share of what the plan budgets for the quarter, else for
  // the year.
  std::optional<int64_t> PlannedShare(FiscalQuarter quarter, const QuarterPlan* quarter_plan,
                                      std::optional<int64_t> PlanMoney::*field) const {
    if (quarter_plan != nullptr && quarter_plan->budget.*field) {
      return *(quarter_plan->budget.*field) / QuarterDays(records_.calendar, quarter).days();
    }
    if (year_plan_ != nullptr && year_plan_->budget.*field) {
      return *(year_plan_->budget.*field) /
             FiscalYearDays(records_.calendar, quarter.fiscal_year).days();
    }
    return std::nullopt;
  }

  const BusinessRecords& records_;
  const Plan& plan_;
  const FiscalYearPlan* year_plan_;
  const FiscalYearOutlook& outlook_;
  double recent_usage_ = 0;  // without a trend: the last 7 days' level
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

FiscalYearOutlook ForecastFiscalYear(const BusinessRecords& records, const Plan& plan,
                                     int fiscal_year, int64_t as_of_day) {
  FiscalYearOutlook outlook;
  outlook.fiscal_year = fiscal_year;
  outlook.as_of_day = as_of_day;
  outlook.trend = FitUsageTrend(WeeklyUsagePerAtm(records.usage, as_of_day, kDefaultTrendWeeks));
  outlook.fleet_atms = records.usage.AtmDaysInService({as_of_day, as_of_day});
  const UsageTotals recent =
      records.usage.FleetTotals({as_of_day - kCommissionWindowDays + 1, as_of_day});
  if (recent.Transactions() > 0) {
    outlook.commission_per_transaction_yen =
        static_cast<double>(recent.commission_yen) / static_cast<double>(recent.Transactions());
  }
  const FiscalYearPlan* year_plan = plan.FiscalYear(fiscal_year);
  const DayForecaster forecaster(records, plan, year_plan, outlook);

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
    for (int64_t day = std::max(days.first, as_of_day + 1); day <= days.last; ++day) {
      forecaster.Add(day, quarter, &period.forecast);
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

}  // namespace atmwatch::engine
