#include "engine/plan.h"

namespace atmwatch::engine {

std::optional<int64_t> PlanMoney::OperatingIncome() const {
  if (operating_income_yen) return operating_income_yen;
  if (revenue_yen && cost_yen && expenses_yen) return *revenue_yen - *cost_yen - *expenses_yen;
  return std::nullopt;
}

const FiscalYearPlan* Plan::FiscalYear(int fiscal_year) const {
  for (const FiscalYearPlan& year : fiscal_years) {
    if (year.fiscal_year == fiscal_year) return &year;
  }
  return nullptr;
}

const CostModel& Plan::CostsOn(int64_t day, const CostModel& current) const {
  const CostModel* costs = &current;
  for (const PlannedCostChange& change : cost_changes) {
    if (DayNumberOf(change.from) > day) break;
    costs = &change.costs;
  }
  return *costs;
}

const QuarterPlan* FindQuarter(const FiscalYearPlan& year, int quarter) {
  for (const QuarterPlan& plan : year.quarters) {
    if (plan.quarter == quarter) return &plan;
  }
  return nullptr;
}

}  // namespace atmwatch::engine
