#pragma once

#include <string>
#include <string_view>

#include "client/client_options.h"
#include "common/status.h"
#include "config/config_field.h"

namespace atmwatch::client {

// Where the keys every collector's config file has beside its own go:
// metrics_listen, ingest and log_level.
struct CollectorConfigKeys {
  std::string* metrics_listen;
  std::string_view metrics_listen_example;  // "127.0.0.1:9743"
  IngestConfig* ingest;
  std::string_view source_id_example;  // "radius-tokyo-1"
  std::string* log_level;
};

// Reads those of them that `root` has, in that order, up to the first
// problem; errors read "FILE:LINE: key: problem; fix".
Status ReadCollectorConfigKeys(const config::FieldReader& fields, const YAML::Node& root,
                               const CollectorConfigKeys& keys);

}  // namespace atmwatch::client
