#pragma once

// The `sites:` section: per site, {NAME: {hours: HOURS, site_share: 0.3}}
// (HOURS as in config/sections/business_hours.h). An ATM of a site takes
// its hours unless it has its own; a site no ATM names is fine. site_share
// is the part (0..1) of its ATMs' commission the site is paid, shown by the
// monthly site report (engine/site_report.h).

#include <map>
#include <string>

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// Reads the `sites` map into *hours and *shares (only sites that give a
// site_share); classes a site does not name keep `default_hours`.
Status ReadSites(const FieldReader& fields, const YAML::Node& n,
                 const engine::BusinessHours& default_hours,
                 std::map<std::string, engine::BusinessHours>* hours,
                 std::map<std::string, double>* shares);

}  // namespace atmwatch::config
