#pragma once

// The `business_hours:` section: {start: "10:00", end: "23:00"}, local,
// every day (engine/availability.h).

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// Reads the `business_hours` node over *out; start must be before end.
Status ReadBusinessHours(const FieldReader& fields, const YAML::Node& n,
                         engine::BusinessHours* out);

}  // namespace atmwatch::config
