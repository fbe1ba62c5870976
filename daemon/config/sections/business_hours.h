#pragma once

// The `business_hours:` section: {start: "10:00", end: "23:00"}, local,
// every day (engine/availability.h).

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// "HH:MM", 00:00..24:00, as minutes after local midnight.
Status ReadClockTime(const FieldReader& fields, const YAML::Node& node, std::string_view path,
                     int* minute);

// Reads the `business_hours` node over *out; start must be before end.
Status ReadBusinessHours(const FieldReader& fields, const YAML::Node& n,
                         engine::BusinessHours* out);

}  // namespace atmwatch::config
