#pragma once

// The `jetstream:` section: batches from a NATS JetStream stream
// (daemon_config.h, DaemonConfig::JetStream). Its presence turns the source on.

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// Reads the `jetstream` node; `durable` and `subjects` are required. On
// success out->enabled is true.
Status ReadJetStream(const FieldReader& fields, const YAML::Node& n, DaemonConfig::JetStream* out);

}  // namespace atmwatch::config
