#pragma once

// The `costs:` section: the cost model of the road to breakeven
// (engine/breakeven.h).
//
//   costs:
//     per_atm_monthly_yen: 600000     # each ATM in service: line, site rent, cash logistics
//     fixed_monthly_yen: 30000000     # independent of the fleet: host system, staff, office
//     per_transaction_yen: 10         # each transaction: switching and settlement fees
//
// Whole yen, 0 or more; every key optional (absent = 0); unknown keys are
// errors.

#include "common/status.h"
#include "config/config_field.h"
#include "engine/breakeven.h"

namespace atmwatch::config {

// Reads the `costs` node of the config; absent or null gives the empty
// model. Errors name the key path, the line and the fix; *out is untouched.
Status ReadCosts(const FieldReader& fields, const YAML::Node& costs, engine::CostModel* out);

// The same keys at `path` (a plan's cost change).
Status ReadCostModelAt(const FieldReader& fields, const YAML::Node& node, std::string_view path,
                       engine::CostModel* out);

}  // namespace atmwatch::config
