#pragma once

// The `plan:` section: what management plans, for the forecast and the plan
// report (engine/plan.h, engine/forecast.h). Reloaded
// on SIGHUP. Every key optional; money in whole yen.
//
//   plan:
//     fiscal_years:
//       FY2010:
//         revenue_yen: 720000000
//         cost_yen: 880000000
//         expenses_yen: 240000000
//         operating_income_yen: -400000000   # default: revenue - cost - expenses
//         atms: 150                          # the fleet the forecast counts
//         quarters:
//           1Q: {revenue_yen: 130000000, cost_yen: 240000000, expenses_yen: 60000000}
//     breakeven: {from: 2010-10-01, to: 2011-03-31}
//     cost_changes:                          # the cost model from a day on
//       - from: 2010-10-01
//         costs: {per_atm_monthly_yen: 450000, fixed_monthly_yen: 20000000}
//     mvno_lines: {target: 100000, deadline: 2013-03-31}
//     forecast_tolerance: 0.1                # shortfall still on plan: share of its costs

#include "common/status.h"
#include "config/config_field.h"
#include "engine/plan.h"

namespace atmwatch::config {

// Absent or null gives the empty plan. Errors name the key path, the line
// and the fix; *out is untouched.
Status ReadPlan(const FieldReader& fields, const YAML::Node& plan, engine::Plan* out);

}  // namespace atmwatch::config
