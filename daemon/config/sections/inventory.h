#pragma once

// The `atms:` section: the inventory of ATMs, one {id, site, region,
// installed, line_id, carrier} each (engine/fleet.h).

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// Appends the ATMs of the `atms` list to *out; ids must be unique.
Status ReadInventory(const FieldReader& fields, const YAML::Node& list,
                     std::vector<engine::InventoryEntry>* out);

}  // namespace atmwatch::config
