#include "client/collector_config_keys.h"

#include <yaml-cpp/yaml.h>

#include "config/log_level.h"

namespace atmwatch::client {

Status ReadCollectorConfigKeys(const config::FieldReader& fields, const YAML::Node& root,
                               const CollectorConfigKeys& keys) {
  if (const YAML::Node node = root["metrics_listen"]) {
    if (Status status = fields.ReadNonEmpty(node, "metrics_listen", keys.metrics_listen_example,
                                            keys.metrics_listen);
        !status.ok()) {
      return status;
    }
  }
  if (const YAML::Node node = root["ingest"]) {
    if (Status status = ReadIngestConfig(fields, node, keys.source_id_example, keys.ingest);
        !status.ok()) {
      return status;
    }
  }
  if (const YAML::Node node = root["log_level"]) {
    return config::ReadLogLevel(fields, node, "log_level", keys.log_level);
  }
  return Status::Ok();
}

}  // namespace atmwatch::client
