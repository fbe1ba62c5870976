// atmwatch-journal: ATM host journal files in, AtmTransactions to atmwatchd out.
//
// Shutdown on SIGINT/SIGTERM: the poll loop finishes the round in progress
// (its batches acknowledged, the state file written) and exits 0. If the
// daemon does not answer within the shutdown deadline
// (client/collector_main.h) the process exits 0 anyway: the round stays
// written down as pending and is resent under the same seqs at the next
// start, so nothing is lost or counted twice.

#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <optional>

#include "client/collector_main.h"
#include "journal/collector_config.h"
#include "journal/journal_collector.h"
#include "journal/journal_metrics.h"

namespace {

using atmwatch::Status;
using namespace atmwatch::journal;

class JournalProgram : public atmwatch::client::Collector {
 public:
  void AddFlags(CLI::App& app) override {
    app.add_option("--path", path_flag_, "glob of the journal files, e.g. 'DIR/*.csv'");
    app.add_option("--state-file", state_file_flag_, "where acknowledged offsets are kept");
  }

  Status LoadConfigFile(const std::string& path) override {
    return LoadJournalConfigFile(path, &config_);
  }
  atmwatch::client::IngestConfig& ingest_config() override { return config_.ingest; }
  std::string& metrics_listen() override { return config_.metrics_listen; }

  Status Configure() override {
    if (!path_flag_.empty()) config_.path = path_flag_;
    if (!state_file_flag_.empty()) config_.state_file = state_file_flag_;
    if (config_.ingest.source_id.empty()) config_.ingest.source_id = DefaultSourceId();
    if (config_.path.empty()) {
      return Status::Error(
          "no journal files to follow; give --path 'DIR/*.csv' or path in --config");
    }
    if (config_.state_file.empty()) {
      return Status::Error(
          "no state file; give --state-file FILE or state_file in --config (it remembers what "
          "the daemon acknowledged)");
    }
    return Status::Ok();
  }

  std::string log_level() const override { return config_.log_level; }

  void RegisterMetrics(prometheus::Registry& registry) override { metrics_.emplace(registry); }

  int Run() override {
    CollectorOptions options;
    options.pattern = config_.path;
    options.state_file = config_.state_file;
    options.ingest = config_.ingest;
    options.poll_interval = config_.poll_interval;
    options.batch_events = config_.batch_events;
    options.max_in_flight = config_.max_in_flight;
    JournalCollector collector(options, *metrics_, stop_);
    if (Status status = collector.Start(); !status.ok()) {
      spdlog::error("journal: {}", status.message());
      return 2;
    }
    spdlog::info("journal: events to {} over {}; metrics on {}", config_.ingest.address,
                 atmwatch::client::DescribeIngestSecurity(config_.ingest.security),
                 config_.metrics_listen);
    if (Status status = collector.Run(); !status.ok()) {
      spdlog::error("journal: {}", status.message());
      return 1;
    }
    return 0;
  }

  void RequestStop(int signal) override {
    spdlog::info("journal: signal {}: finishing the round in progress", signal);
    stop_.store(true);
  }

  std::string DeadlineWarning(std::chrono::milliseconds deadline) override {
    return "the daemon did not acknowledge within " +
           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(deadline).count()) +
           " s; exiting, the round is resent at the next start";
  }

 private:
  std::string path_flag_, state_file_flag_;
  JournalConfig config_;
  std::optional<JournalMetrics> metrics_;
  std::atomic<bool> stop_{false};
};

}  // namespace

int main(int argc, char** argv) {
  const atmwatch::client::CollectorIdentity identity{
      .program = "atmwatch-journal",
      .log_name = "journal",
      .description = "atmwatch-journal: ATM host journal files to atmwatchd AtmTransactions",
      .version = ATMWATCH_VERSION,
      .default_metrics_listen = "127.0.0.1:9744",
      .default_source_id = "atmwatch-journal-<hostname>",
  };
  JournalProgram program;
  return atmwatch::client::RunCollectorMain(argc, argv, identity, program);
}
