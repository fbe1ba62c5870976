#pragma once

// The `atms:` section: the inventory of ATMs, one {id, site, region,
// installed, line_id, carrier, hours} each (engine/fleet.h; hours as in
// config/sections/business_hours.h).

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// Appends the ATMs of the `atms` list to *out; ids must be unique. An ATM's
// `hours` start from `default_hours`.
Status ReadInventory(const FieldReader& fields, const YAML::Node& list,
                     const engine::BusinessHours& default_hours,
                     std::vector<engine::InventoryEntry>* out);

}  // namespace atmwatch::config
