// Fuzz target: the YAML config files. The same text goes to atmwatchd's
// parser (config::ParseConfig), atmwatch-radius's and atmwatch-journal's, as
// a hand-edited file or a SIGHUP reload would.
//
// Invariants besides "no crash, no leak, no undefined behaviour" (and no
// exception escaping: yaml-cpp throws, the parsers must turn that into an
// error):
//  - parsing is deterministic: the same text gives the same verdict twice;
//  - every error starts with the file name, as the operator must see it;
//  - a daemon config that parses builds an engine whose snapshot reads back.

#include <cstddef>
#include <cstdint>
#include <string>

#include "config/daemon_config.h"
#include "engine/engine.h"
#include "fuzz_check.h"
#include "journal/collector_config.h"
#include "radius/collector_config.h"

namespace {

const std::string kFile = "fuzz.yaml";

void CheckError(const atmwatch::Status& status) {
  if (status.ok()) return;
  FUZZ_CHECK(status.message().starts_with(kFile));
}

void CheckDaemonConfig(const std::string& text) {
  atmwatch::config::DaemonConfig config;
  const atmwatch::Status status = atmwatch::config::ParseConfig(text, kFile, &config);
  atmwatch::config::DaemonConfig again;
  FUZZ_CHECK(atmwatch::config::ParseConfig(text, kFile, &again).message() == status.message());
  CheckError(status);
  if (!status.ok()) return;
  FUZZ_CHECK(config.atms.size() == again.atms.size());
  atmwatch::engine::Engine engine(atmwatch::config::EngineConfigOf(config));
  // The inventory is in every snapshot: it must read back at the next start.
  atmwatch::engine::Engine restarted(atmwatch::config::EngineConfigOf(config));
  FUZZ_CHECK(restarted.RestoreState(engine.SerializeState()));
}

void CheckRadiusConfig(const std::string& text) {
  atmwatch::radius::CollectorConfig config;
  const atmwatch::Status status = atmwatch::radius::ParseCollectorConfig(text, kFile, &config);
  atmwatch::radius::CollectorConfig again;
  FUZZ_CHECK(atmwatch::radius::ParseCollectorConfig(text, kFile, &again).message() ==
             status.message());
  CheckError(status);
  if (!status.ok()) return;
  for (const auto& client : config.clients) FUZZ_CHECK(!client.secret.empty());
}

void CheckJournalConfig(const std::string& text) {
  atmwatch::journal::JournalConfig config;
  const atmwatch::Status status = atmwatch::journal::ParseJournalConfig(text, kFile, &config);
  atmwatch::journal::JournalConfig again;
  FUZZ_CHECK(atmwatch::journal::ParseJournalConfig(text, kFile, &again).message() ==
             status.message());
  CheckError(status);
  if (!status.ok()) return;
  FUZZ_CHECK(config.batch_events > 0 && config.max_in_flight > 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  QuietProtobufLog();
  const std::string text(reinterpret_cast<const char*>(data), size);
  CheckDaemonConfig(text);
  CheckRadiusConfig(text);
  CheckJournalConfig(text);
  return 0;
}
