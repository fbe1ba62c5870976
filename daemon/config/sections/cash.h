#pragma once

// The `cash:` section: when the cash-in-transit crew visits ATMs, per region
// of the inventory, and what a visit costs (engine/cash_visits.h).
//
//   cash:
//     default:                    # regions not listed below; absent: no planned visits
//       visit_days: [mon, thu]    # sun mon tue wed thu fri sat
//       visit_time: "09:00"       # local
//       cost_per_visit_yen: 15000
//     regions:
//       kansai: {visit_days: [tue, fri]}   # keys left out are the default's
//
// A schedule needs at least one visit day; visit_time defaults to "09:00"
// and the cost to 0. Unknown keys and day names are errors.

#include "common/status.h"
#include "config/config_field.h"
#include "engine/cash_visits.h"

namespace atmwatch::config {

// Reads the `cash` node; absent or null gives no planned visits. Errors name
// the key path, the line and the fix; *out is untouched.
Status ReadCash(const FieldReader& fields, const YAML::Node& cash, engine::CashVisits* out);

}  // namespace atmwatch::config
