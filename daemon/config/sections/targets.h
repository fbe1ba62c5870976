#pragma once

// The `targets:` section: the figures the business is measured against
// (daemon_config.h, DaemonConfig::Targets).

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// Reads the `targets` node over the defaults in *out.
Status ReadTargets(const FieldReader& fields, const YAML::Node& n, DaemonConfig::Targets* out);

}  // namespace atmwatch::config
