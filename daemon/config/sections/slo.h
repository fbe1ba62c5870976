#pragma once

// The `slo:` section: the service level objectives the shipped burn-rate
// alerts measure the fleet against (daemon_config.h, DaemonConfig::Slo).

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// Reads the `slo` node over the defaults in *out.
Status ReadSlo(const FieldReader& fields, const YAML::Node& n, DaemonConfig::Slo* out);

}  // namespace atmwatch::config
