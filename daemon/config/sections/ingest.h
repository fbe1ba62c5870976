#pragma once

// The `ingest:` section: atmwatchd's ingest listener, its limits, its TLS
// and the sources it knows (daemon_config.h, DaemonConfig::Ingest).

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// Reads the `ingest` node over the defaults in *out. Errors name the key
// path, the line and the fix.
Status ReadIngest(const FieldReader& fields, const YAML::Node& n, DaemonConfig::Ingest* out);

}  // namespace atmwatch::config
