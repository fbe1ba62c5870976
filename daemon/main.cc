// atmwatchd: takes ATM, line and ledger events over TCP and HTTP, keeps the
// aggregates, and serves them as Prometheus metrics.
//
// Start-up: flags over config file over defaults → lock the data directory
// (exit 1 naming the PID that holds it) → bind both listeners (exit 2 naming
// the address if one is taken; /readyz answers 503) → recover the data
// directory (snapshot + log replay) → ready.
// Shutdown (SIGTERM/SIGINT), in this order: stop accepting → close ingest
// connections → stop fetching from JetStream, ack the batches in flight →
// commit what is queued (fsync) → snapshot → stop HTTP → exit 0.
// Signals are handled from before recovery on: SIGTERM/SIGINT during it
// abandon the replay (nothing on disk has changed yet) and exit 0; SIGHUP
// during it is applied once the daemon is ready.

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string_view>
#include <thread>

#include "common/protobuf_log.h"
#include "config/daemon_config.h"
#include "daemon_runtime.h"
#include "durability/data_dir_lock.h"

namespace {

struct Flags {
  std::string config_path;
  std::string ingest_listen;
  std::string http_listen;
  std::string data_dir;
  std::string max_event_age;
  std::string log_level;
  bool wal_strict = false;
};

// Flags override the file; the file overrides the defaults.
atmwatch::Status ApplyFlags(const Flags& flags, atmwatch::config::DaemonConfig* config) {
  if (!flags.ingest_listen.empty()) config->ingest.listen = flags.ingest_listen;
  if (!flags.http_listen.empty()) config->http.listen = flags.http_listen;
  if (!flags.data_dir.empty()) config->data_dir = flags.data_dir;
  if (!flags.log_level.empty()) config->log_level = flags.log_level;
  if (flags.wal_strict) config->wal.strict = true;
  if (!flags.max_event_age.empty() &&
      !atmwatch::config::ParseDurationMs(flags.max_event_age, &config->ingest.max_event_age_ms)) {
    return atmwatch::Status::Error("--max-event-age: '" + flags.max_event_age +
                                   "' is not a duration; write e.g. 400d, 12h or 0");
  }
  return atmwatch::Status::Ok();
}

// A refused config lists every problem, one a line; each becomes a log line.
void LogConfigProblems(std::string_view context, const atmwatch::Status& status) {
  std::istringstream problems(status.message());
  for (std::string problem; std::getline(problems, problem);) {
    spdlog::error("{}: {}", context, problem);
  }
}

atmwatch::Status LoadConfig(const Flags& flags, atmwatch::config::DaemonConfig* config) {
  if (!flags.config_path.empty()) {
    if (auto status = atmwatch::config::LoadConfigFile(flags.config_path, config); !status.ok()) {
      return status;
    }
  }
  return ApplyFlags(flags, config);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"atmwatchd: the atmwatch daemon (events in, Prometheus metrics out)"};
  Flags flags;
  app.add_option("--config", flags.config_path, "YAML config file (every key optional)");
  app.add_option("--ingest-listen", flags.ingest_listen,
                 "ingest listener HOST:PORT (127.0.0.1:7420)");
  app.add_option("--http-listen", flags.http_listen, "HTTP listener HOST:PORT (127.0.0.1:9742)");
  app.add_option("--data-dir", flags.data_dir, "data directory (./atmwatch-data)");
  app.add_option("--max-event-age", flags.max_event_age,
                 "refuse events older than this (400d; 0 = no limit)");
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error or critical");
  app.add_flag("--wal-strict", flags.wal_strict,
               "refuse to start on damage in the middle of the log or records missing from it "
               "(wal.strict)");
  app.set_version_flag("--version", std::string(ATMWATCH_VERSION));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  atmwatch::config::DaemonConfig config;
  if (auto status = LoadConfig(flags, &config); !status.ok()) {
    LogConfigProblems("config", status);
    return 2;
  }
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  atmwatch::RouteProtobufLogToSpdlog();

  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    spdlog::error("cannot create the data directory {}: {}", config.data_dir, ec.message());
    return 1;
  }

  // Before anything reads or writes the directory: a second daemon on it
  // would cut what this one appends.
  atmwatch::durability::DataDirLock lock;
  if (auto status = atmwatch::durability::DataDirLock::Acquire(
          config.data_dir, atmwatch::durability::DataDirLock::Mode::kExclusive, "atmwatchd", &lock);
      !status.ok()) {
    spdlog::error("{}", status.message());
    return 1;
  }

  asio::io_context io(1);
  // Caught from here on, before /readyz can answer: a signal that comes
  // before its handler is armed waits for it.
  asio::signal_set reload_signal(io, SIGHUP);
  asio::signal_set stop_signals(io, SIGINT, SIGTERM);
  atmwatch::DaemonRuntime runtime(io, config);
  if (auto status = runtime.Listen(); !status.ok()) {
    spdlog::error("{}", status.message());
    return 2;
  }

  // Everything below runs on the io_context's thread, recovery aside.
  enum class Phase { kRecovering, kReady, kStopping };
  Phase phase = Phase::kRecovering;
  bool reload_pending = false;
  int exit_code = 0;
  const auto reload = [&] {
    atmwatch::config::DaemonConfig fresh;
    if (auto status = LoadConfig(flags, &fresh); !status.ok()) {
      runtime.RefuseReload(status);
    } else {
      runtime.Reload(fresh);
    }
  };
  const auto stop = [&] {
    phase = Phase::kStopping;
    reload_signal.cancel();
    stop_signals.cancel();
    runtime.Stop();
  };
  stop_signals.async_wait([&](std::error_code error, int signal) {
    if (error) return;
    if (phase == Phase::kRecovering) {
      spdlog::info(
          "signal {} during recovery: abandoning the replay (nothing on disk has changed) and "
          "stopping",
          signal);
      phase = Phase::kStopping;  // the end of recovery stops the daemon
      runtime.AbandonRecovery();
      return;
    }
    spdlog::info("signal {}: shutting down", signal);
    stop();
  });
  std::function<void(std::error_code, int)> on_reload = [&](std::error_code error, int) {
    if (error) return;
    if (phase == Phase::kRecovering) {
      if (!reload_pending) spdlog::info("SIGHUP during recovery: reloading once ready");
      reload_pending = true;
    } else if (phase == Phase::kReady) {
      reload();
    }
    reload_signal.async_wait(on_reload);
  };
  reload_signal.async_wait(on_reload);

  // Recovery may take minutes on a large log; on a thread of its own, the
  // signals above are heard meanwhile.
  std::thread recovery([&] {
    bool abandoned = false;
    const atmwatch::Status status = runtime.Recover(&abandoned);
    asio::post(io, [&, status] {
      if (!status.ok()) {
        spdlog::error("recovery failed: {}", status.message());
        exit_code = 1;
        return stop();
      }
      if (phase == Phase::kStopping) return stop();
      if (auto started = runtime.Start(); !started.ok()) {
        spdlog::error("{}", started.message());
        exit_code = 2;
        return stop();
      }
      phase = Phase::kReady;
      if (reload_pending) reload();
    });
  });
  io.run();
  recovery.join();
  if (exit_code == 0) spdlog::info("stopped");
  return exit_code;
}
