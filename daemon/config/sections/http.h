#pragma once

// The `http:` section: the /metrics and /v1 listener, its HTTPS front and
// its users (daemon_config.h, DaemonConfig::Http).

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// Reads the `http` node over the defaults in *out. Errors name the key
// path, the line and the fix.
Status ReadHttp(const FieldReader& fields, const YAML::Node& n, DaemonConfig::Http* out);

}  // namespace atmwatch::config
