#pragma once

// The `lines:` section: the MVNO line table's intervals and its cap
// (daemon_config.h, DaemonConfig::Lines).

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// Reads the `lines` node over the defaults in *out.
Status ReadLines(const FieldReader& fields, const YAML::Node& n, DaemonConfig::Lines* out);

}  // namespace atmwatch::config
