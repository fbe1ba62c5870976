#pragma once

// The `sites:` section: business hours per site, {NAME: {hours: HOURS}}
// (HOURS as in config/sections/business_hours.h). An ATM of a site takes
// them unless it has its own; a site no ATM names is fine.

#include <map>
#include <string>

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// Reads the `sites` map into *out; classes a site does not name keep
// `default_hours`.
Status ReadSites(const FieldReader& fields, const YAML::Node& n,
                 const engine::BusinessHours& default_hours,
                 std::map<std::string, engine::BusinessHours>* out);

}  // namespace atmwatch::config
