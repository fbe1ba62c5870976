#pragma once

// Business hours (engine/business_hours.h):
//
//   business_hours: {start: "10:00", end: "23:00"}   the default, every day
//   sites: {NAME: {hours: HOURS}}                    config/sections/sites.h
//   atms: [{id: ..., hours: HOURS}]                  one ATM's own
//
// HOURS is {all, weekday, saturday, sunday, holiday}: each "HH:MM-HH:MM" or
// closed; `all` sets every class, the others win over it; a holiday takes
// Sunday's hours unless `holiday` is given; a class not named keeps the
// default business_hours.

#include <string>

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

// Reads an HOURS map at `path` over *out (which holds the default).
Status ReadHours(const FieldReader& fields, const YAML::Node& n, const std::string& path,
                 engine::BusinessHours* out);

}  // namespace atmwatch::config
