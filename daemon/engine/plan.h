#pragma once

// The operator's plan, as management sets it each fiscal year: the budget
// per fiscal year (and optionally per quarter), the window in which
// breakeven is to arrive, the cost changes the plan counts on, and the MVNO
// lines target. Plain values: the config reads them (`plan:`), the forecast
// (engine/forecast.h) and the plan report compare the records against them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/breakeven.h"

namespace atmwatch::engine {

// Budgeted money of a period, in yen; absent where the plan is silent.
struct PlanMoney {
  std::optional<int64_t> revenue_yen;
  std::optional<int64_t> cost_yen;
  std::optional<int64_t> expenses_yen;
  std::optional<int64_t> operating_income_yen;

  // As budgeted, or revenue - cost - expenses when those three are.
  std::optional<int64_t> OperatingIncome() const;
  bool empty() const { return !revenue_yen && !cost_yen && !expenses_yen && !operating_income_yen; }
};

struct QuarterPlan {
  int quarter = 0;  // 1..4
  PlanMoney budget;
  std::optional<int64_t> atms;  // the fleet planned for the quarter
};

struct FiscalYearPlan {
  int fiscal_year = 0;
  PlanMoney budget;
  std::optional<int64_t> atms;        // the fleet planned for the year
  std::vector<QuarterPlan> quarters;  // by quarter, each at most once
};

// From `from` on, the cost model is `costs` (until the next change).
struct PlannedCostChange {
  std::chrono::year_month_day from;
  CostModel costs;
};

// Local dates, both included.
struct DateWindow {
  std::chrono::year_month_day first;
  std::chrono::year_month_day last;
};

struct MvnoLinesTarget {
  int64_t lines = 0;
  std::chrono::year_month_day deadline;
};

struct Plan {
  std::vector<FiscalYearPlan> fiscal_years;     // by fiscal year, each at most once
  std::optional<DateWindow> breakeven;          // breakeven is to arrive within it
  std::vector<PlannedCostChange> cost_changes;  // by date
  std::optional<MvnoLinesTarget> mvno_lines;
  // How far the forecast may fall below the planned operating income, as a
  // share of the plan's costs, and still count as on plan.
  double forecast_tolerance = 0.1;

  const FiscalYearPlan* FiscalYear(int fiscal_year) const;
  // The cost model the plan counts on for `day`: the last change on or
  // before it, else `current`.
  const CostModel& CostsOn(int64_t day, const CostModel& current) const;
};

const QuarterPlan* FindQuarter(const FiscalYearPlan& year, int quarter);

}  // namespace atmwatch::engine
