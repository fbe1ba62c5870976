#include "journal/collector_config.h"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "client/collector_config_keys.h"
#include "config/config_field.h"

namespace atmwatch::journal {
namespace {

using config::FieldReader;
using config::ReadConfigFile;
using config::ReadConfigText;

Status ReadTop(const FieldReader& fields, const YAML::Node& root, JournalConfig* config) {
  if (!root.IsDefined() || root.IsNull()) return Status::Ok();  // an empty file
  Status status =
      fields.CheckMapKeys(root, "",
                          {"path", "state_file", "metrics_listen", "ingest", "poll_interval",
                           "batch_events", "max_in_flight", "log_level"});
  if (status.ok() && root["path"]) {
    status =
        fields.ReadNonEmpty(root["path"], "path", "/var/spool/atm-journal/*.csv", &config->path);
  }
  if (status.ok() && root["state_file"]) {
    status = fields.ReadNonEmpty(root["state_file"], "state_file",
                                 "/var/lib/atmwatch-journal/state", &config->state_file);
  }
  if (status.ok() && root["poll_interval"]) {
    status =
        fields.ReadPositiveDuration(root["poll_interval"], "poll_interval", &config->poll_interval);
  }
  if (status.ok() && root["batch_events"]) {
    status =
        fields.ReadSize(root["batch_events"], "batch_events", 1, 100000, &config->batch_events);
  }
  if (status.ok() && root["max_in_flight"]) {
    status =
        fields.ReadSize(root["max_in_flight"], "max_in_flight", 1, 1024, &config->max_in_flight);
  }
  if (!status.ok()) return status;
  return client::ReadCollectorConfigKeys(fields, root,
                                         {.metrics_listen = &config->metrics_listen,
                                          .metrics_listen_example = "127.0.0.1:9744",
                                          .ingest = &config->ingest,
                                          .source_id_example = "atmwatch-journal-tokyo-1",
                                          .log_level = &config->log_level});
}

}  // namespace

Status ParseJournalConfig(const std::string& yaml_text, const std::string& file_name,
                          JournalConfig* out) {
  JournalConfig config = *out;
  const Status status =
      ReadConfigText(yaml_text, file_name, [&](const FieldReader& fields, const YAML::Node& root) {
        return ReadTop(fields, root, &config);
      });
  if (status.ok()) *out = std::move(config);
  return status;
}

Status LoadJournalConfigFile(const std::string& path, JournalConfig* out) {
  std::string text;
  if (Status status = ReadConfigFile(path, &text); !status.ok()) return status;
  return ParseJournalConfig(text, path, out);
}

std::string DefaultSourceId() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "atmwatch-journal";
  return std::string("atmwatch-journal-") + host;
}

}  // namespace atmwatch::journal
