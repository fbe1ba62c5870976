// atmwatch-journal: ATM host journal files in, AtmTransactions to atmwatchd out.
//
// Shutdown on SIGINT/SIGTERM: the poll loop finishes the round in progress
// (its batches acknowledged, the state file written) and exits 0. If the
// daemon does not answer within kShutdownDeadline the process exits 0
// anyway: the round stays written down as pending and is resent under the
// same seqs at the next start, so nothing is lost or counted twice.

#include <prometheus/exposer.h>
#include <prometheus/registry.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "client/metrics_endpoint.h"
#include "journal/collector_config.h"
#include "journal/journal_collector.h"
#include "journal/journal_metrics.h"

namespace {

using atmwatch::Status;
using namespace atmwatch::journal;

constexpr auto kShutdownDeadline = std::chrono::seconds(4);

struct Flags {
  std::string config_file;
  std::string path, state_file, ingest, metrics_listen, source_id;
};

// Config file first, flags over it. False (after saying why) on any mistake.
bool LoadConfig(const Flags& flags, JournalConfig* config) {
  if (!flags.config_file.empty()) {
    if (Status status = LoadJournalConfigFile(flags.config_file, config); !status.ok()) {
      std::cerr << "atmwatch-journal: " << status.message() << "\n";
      return false;
    }
  }
  if (!flags.path.empty()) config->path = flags.path;
  if (!flags.state_file.empty()) config->state_file = flags.state_file;
  if (!flags.ingest.empty()) config->ingest_address = flags.ingest;
  if (!flags.metrics_listen.empty()) config->metrics_listen = flags.metrics_listen;
  if (!flags.source_id.empty()) config->source_id = flags.source_id;
  if (config->source_id.empty()) config->source_id = DefaultSourceId();
  if (config->path.empty()) {
    std::cerr << "atmwatch-journal: no journal files to follow; give --path 'DIR/*.csv' or "
                 "path in --config\n";
    return false;
  }
  if (config->state_file.empty()) {
    std::cerr << "atmwatch-journal: no state file; give --state-file FILE or state_file in "
                 "--config (it remembers what the daemon acknowledged)\n";
    return false;
  }
  return true;
}

// Waits for SIGINT/SIGTERM (blocked in every thread) and sets `stop`; if the
// loop has not finished kShutdownDeadline later, exits the process.
class SignalWatch {
 public:
  explicit SignalWatch(std::atomic<bool>& stop) : stop_(stop), thread_([this] { Watch(); }) {}
  ~SignalWatch() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

 private:
  void Watch() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    const timespec tick{0, 100 * 1000 * 1000};
    int signal = -1;
    while (signal < 0) {
      std::unique_lock lock(mutex_);
      if (done_) return;
      lock.unlock();
      signal = sigtimedwait(&signals, nullptr, &tick);
    }
    spdlog::info("journal: signal {}: finishing the round in progress", signal);
    stop_.store(true);
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, kShutdownDeadline, [this] { return done_; })) {
      spdlog::warn(
          "journal: the daemon did not acknowledge within {} s; exiting, the round is "
          "resent at the next start",
          kShutdownDeadline.count());
      spdlog::shutdown();
      std::_Exit(0);
    }
  }

  std::atomic<bool>& stop_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool done_ = false;
  std::thread thread_;
};

int Run(const JournalConfig& config) {
  auto registry = std::make_shared<prometheus::Registry>();
  JournalMetrics metrics(*registry);
  std::unique_ptr<prometheus::Exposer> exposer;
  if (Status status = atmwatch::client::ServeMetrics(config.metrics_listen, registry, &exposer);
      !status.ok()) {
    spdlog::error("journal: {}; pick a free address with --metrics-listen or metrics_listen",
                  status.message());
    return 2;
  }

  std::atomic<bool> stop{false};
  SignalWatch watch(stop);
  CollectorOptions options;
  options.pattern = config.path;
  options.state_file = config.state_file;
  options.source_id = config.source_id;
  options.ingest_address = config.ingest_address;
  options.security = config.ingest_security;
  options.poll_interval = config.poll_interval;
  options.batch_events = config.batch_events;
  options.max_in_flight = config.max_in_flight;
  JournalCollector collector(options, metrics, stop);
  if (Status status = collector.Start(); !status.ok()) {
    spdlog::error("journal: {}", status.message());
    return 2;
  }
  spdlog::info("journal: events to {} over {}; metrics on {}", config.ingest_address,
               atmwatch::client::DescribeIngestSecurity(config.ingest_security),
               config.metrics_listen);
  if (Status status = collector.Run(); !status.ok()) {
    spdlog::error("journal: {}", status.message());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // No reload: a restart is how atmwatch-journal takes a changed config, so a
  // SIGHUP (a closed terminal, a stray `kill -HUP`) must not stop it.
  signal(SIGHUP, SIG_IGN);
  CLI::App app{"atmwatch-journal: ATM host journal files to atmwatchd AtmTransactions"};
  Flags flags;
  app.add_option("--config", flags.config_file, "YAML config file")->check(CLI::ExistingFile);
  app.add_option("--path", flags.path, "glob of the journal files, e.g. 'DIR/*.csv'");
  app.add_option("--state-file", flags.state_file, "where acknowledged offsets are kept");
  app.add_option("--ingest", flags.ingest,
                 "daemon ingest address HOST:PORT (default 127.0.0.1:7420)");
  app.add_option("--metrics-listen", flags.metrics_listen,
                 "Prometheus metrics address (default 127.0.0.1:9744)");
  app.add_option("--source-id", flags.source_id,
                 "source id towards the daemon (default atmwatch-journal-<hostname>)");
  app.add_flag_callback(
      "--version",
      [] {
        std::cout << "atmwatch-journal " << ATMWATCH_VERSION << "\n";
        std::exit(0);
      },
      "print the version");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  JournalConfig config;
  if (!LoadConfig(flags, &config)) return 2;
  spdlog::set_level(spdlog::level::from_str(config.log_level));

  // Blocked before any thread starts, so only SignalWatch receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return Run(config);
}
