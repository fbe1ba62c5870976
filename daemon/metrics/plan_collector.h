#pragma once

#include "metrics/engine_scrape_source.h"

namespace atmwatch::metrics {

// The plan (config `plan:`) against the records, as of the newest complete
// day of data (engine/plan_tracking.h has the rules):
//   atmwatch_plan_as_of_date_seconds                       local midnight of that day
//   atmwatch_plan_revenue_yen{period}                      as budgeted
//   atmwatch_plan_operating_income_yen{period}
//   atmwatch_plan_shortfall_allowed_yen{period}            still on plan below it
//   atmwatch_actual_revenue_yen{period}                    up to the as-of day
//   atmwatch_actual_operating_income_yen{period}
//   atmwatch_forecast_revenue_yen{period}                  actual + forecast, with
//   atmwatch_forecast_operating_income_yen{period}         _low_yen and _high_yen bounds
//   atmwatch_breakeven_first_month_seconds                 once a month broke even
//   atmwatch_breakeven_plan_slip_seconds                   against the window's last day
//   atmwatch_mvno_active_lines_added_91d                   the MVNO run-rate, and against
//   atmwatch_mvno_active_lines_target_projected_date_seconds  the target's deadline
//   atmwatch_mvno_active_lines_target_deadline_seconds
//   atmwatch_mvno_active_lines_target_slip_seconds
// `period` is each quarter of the as-of day's fiscal year ("1Q10") and the
// year ("FY2010"). A slip that cannot be projected is +Inf: later than any
// date. Figures that do not exist are left out.
class PlanCollector : public EngineScrapeSource {
 public:
  using EngineScrapeSource::EngineScrapeSource;
  void WriteText(TextWriter& out) const override;
};

}  // namespace atmwatch::metrics
