#pragma once

// The `wal:` section: the write-ahead log's durability, group commit,
// segments and snapshots (daemon_config.h, DaemonConfig::Wal).

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// Reads the `wal` node over the defaults in *out. Errors name the key
// path, the line and the fix.
Status ReadWal(const FieldReader& fields, const YAML::Node& n, DaemonConfig::Wal* out);

}  // namespace atmwatch::config
