#include "client/collector_main.h"

#include <prometheus/exposer.h>
#include <prometheus/registry.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

#include "client/metrics_endpoint.h"

namespace atmwatch::client {
namespace {

// The flags every collector takes besides its own; empty: not given.
struct CommonFlags {
  std::string config_file;     // --config
  std::string ingest;          // --ingest HOST:PORT
  std::string metrics_listen;  // --metrics-listen HOST:PORT
  std::string source_id;       // --source-id
};

void AddCommonFlags(CLI::App& app, const CollectorIdentity& identity, CommonFlags* flags) {
  app.add_option("--ingest", flags->ingest,
                 "daemon ingest address HOST:PORT (default 127.0.0.1:7420)");
  app.add_option("--metrics-listen", flags->metrics_listen,
                 "Prometheus metrics address (default " + identity.default_metrics_listen + ")");
  app.add_option("--source-id", flags->source_id,
                 "source id towards the daemon (default " + identity.default_source_id + ")");
  app.add_flag_callback(
      "--version",
      [&identity] {
        std::cout << identity.program << " " << identity.version << "\n";
        std::exit(0);
      },
      "print the version");
}

sigset_t StopSignalSet() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

// SIGINT/SIGTERM on a thread of its own, the only one that does not block
// them (RunCollectorMain blocks them before any other thread starts), so
// that no read or wait of the collector ends early with EINTR. The first
// asks the collector to stop and starts the deadline.
class StopSignals {
 public:
  StopSignals(const CollectorIdentity& identity, Collector& collector,
              std::chrono::milliseconds deadline)
      : identity_(identity),
        collector_(collector),
        deadline_(deadline),
        signals_(io_, SIGINT, SIGTERM),
        timer_(io_) {
    signals_.async_wait([this](std::error_code error, int signal) { OnSignal(error, signal); });
    thread_ = std::thread([this] {
      const sigset_t signals = StopSignalSet();
      pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
      io_.run();
    });
  }

  ~StopSignals() {
    finished_.store(true);
    io_.stop();
    thread_.join();
  }

 private:
  void OnSignal(std::error_code error, int signal) {
    if (error) return;
    // Later signals stay caught by the set (queued, never waited for), so a
    // second Ctrl-C does not kill the process in the middle of its drain.
    collector_.RequestStop(signal);
    timer_.expires_after(deadline_);
    timer_.async_wait([this](std::error_code cancelled) {
      if (cancelled || finished_.load()) return;
      spdlog::warn("{}: {}", identity_.log_name, collector_.DeadlineWarning(deadline_));
      spdlog::shutdown();
      // The collector's threads may be blocked on the daemon and cannot be joined.
      std::_Exit(0);
    });
  }

  const CollectorIdentity& identity_;
  Collector& collector_;
  const std::chrono::milliseconds deadline_;
  std::atomic<bool> finished_{false};
  asio::io_context io_{1};
  asio::signal_set signals_;
  asio::steady_timer timer_;
  std::thread thread_;
};

// Defaults, then the config file, then the flags, the collector's own last.
Status Configure(const CommonFlags& flags, Collector& collector) {
  if (!flags.config_file.empty()) {
    if (Status status = collector.LoadConfigFile(flags.config_file); !status.ok()) return status;
  }
  if (!flags.ingest.empty()) collector.ingest_config().address = flags.ingest;
  if (!flags.source_id.empty()) collector.ingest_config().source_id = flags.source_id;
  if (!flags.metrics_listen.empty()) collector.metrics_listen() = flags.metrics_listen;
  return collector.Configure();
}

}  // namespace

int RunCollectorMain(int argc, char** argv, const CollectorIdentity& identity, Collector& collector,
                     std::chrono::milliseconds shutdown_deadline) {
  signal(SIGHUP, SIG_IGN);
  CLI::App app{identity.description};
  CommonFlags flags;
  app.add_option("--config", flags.config_file, "YAML config file")->check(CLI::ExistingFile);
  collector.AddFlags(app);
  AddCommonFlags(app, identity, &flags);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (Status status = Configure(flags, collector); !status.ok()) {
    std::cerr << identity.program << ": " << status.message() << "\n";
    return 2;
  }
  spdlog::set_level(spdlog::level::from_str(collector.log_level()));
  // Inherited by every thread started from here on; StopSignals unblocks
  // them on its own.
  const sigset_t blocked = StopSignalSet();
  pthread_sigmask(SIG_BLOCK, &blocked, nullptr);

  auto registry = std::make_shared<prometheus::Registry>();
  collector.RegisterMetrics(*registry);
  std::unique_ptr<prometheus::Exposer> exposer;
  if (Status status = ServeMetrics(collector.metrics_listen(), registry, &exposer); !status.ok()) {
    spdlog::error("{}: {}; pick a free address with --metrics-listen or metrics_listen",
                  identity.log_name, status.message());
    return 2;
  }
  StopSignals stop_signals(identity, collector, shutdown_deadline);
  return collector.Run();
}

}  // namespace atmwatch::client
