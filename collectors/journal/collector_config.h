#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "client/client_options.h"
#include "common/status.h"

// What atmwatch-journal reads from its YAML file; flags override it. Every
// key is optional in the file, but `path` and `state_file` must come from
// one or the other. The schema, with the defaults:
//
//   path: "/var/spool/atm-journal/*.csv"   # glob of the journal files
//   state_file: /var/lib/atmwatch-journal/state
//   metrics_listen: "127.0.0.1:9744"
//   ingest:
//     address: "127.0.0.1:7420"
//     source_id: "atmwatch-journal-<hostname>"
//     tls: {ca_file: ..., cert_file: ..., key_file: ...}   # none: plain TCP
//     token_file: /etc/atmwatch/journal.token              # none: no token
//                                 # (client/client_options.h)
//   poll_interval: 250ms
//   batch_events: 1000            # events per Batch
//   max_in_flight: 8              # batches per round on the wire at once
//   log_level: info               # config/log_level.h
namespace atmwatch::journal {

struct JournalConfig {
  std::string path;
  std::string state_file;
  std::string metrics_listen = "127.0.0.1:9744";
  client::IngestConfig ingest;  // source_id empty: DefaultSourceId()
  std::chrono::milliseconds poll_interval{250};
  std::size_t batch_events = 1000;
  std::size_t max_in_flight = 8;
  std::string log_level = "info";
};

// Parses YAML text into `out` (keeping its defaults for absent keys). Errors
// read "FILE:LINE: key.path: problem; fix" (config::FieldReader); unknown keys
// are errors.
Status ParseJournalConfig(const std::string& yaml_text, const std::string& file_name,
                          JournalConfig* out);
Status LoadJournalConfigFile(const std::string& path, JournalConfig* out);

// "atmwatch-journal-<hostname>": stable across restarts on one host.
std::string DefaultSourceId();

}  // namespace atmwatch::journal
