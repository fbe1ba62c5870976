#pragma once

#include <chrono>
#include <string>

#include "client/client_options.h"
#include "common/status.h"

namespace CLI {
class App;
}  // namespace CLI
namespace prometheus {
class Registry;
}  // namespace prometheus

// The main of every collector (atmwatch-radius, atmwatch-journal): flags over
// the config file, --version, the /metrics endpoint, and the stop on
// SIGINT/SIGTERM with a deadline. A collector brings its config, metrics and
// loop as a Collector; RunCollectorMain does the rest the same way for all.
namespace atmwatch::client {

// Who the collector is, for --help, --version and its messages.
struct CollectorIdentity {
  std::string program;                 // "atmwatch-radius"
  std::string log_name;                // "radius": its log lines start "radius: "
  std::string description;             // the first line of --help
  std::string version;                 // printed by --version
  std::string default_metrics_listen;  // for --help
  std::string default_source_id;       // for --help
};

// What a collector plugs into RunCollectorMain, called in this order:
// AddFlags, LoadConfigFile (with --config), Configure, RegisterMetrics, Run;
// RequestStop and DeadlineWarning from the signal thread while Run runs (or
// just before it starts). Every collector thus takes its settings the same
// way: its defaults, then its config file, then the flags.
class Collector {
 public:
  virtual ~Collector() = default;

  // Its own flags; --config, --ingest, --metrics-listen, --source-id and
  // --version are there already.
  virtual void AddFlags(CLI::App& app) = 0;
  // Reads the --config file over the collector's defaults.
  virtual Status LoadConfigFile(const std::string& path) = 0;
  // Where --ingest, --source-id and --metrics-listen go, over the file.
  virtual IngestConfig& ingest_config() = 0;
  virtual std::string& metrics_listen() = 0;
  // Puts its own flags over its config and checks the result. An error of
  // this or of LoadConfigFile is printed after the program's name; exit 2.
  virtual Status Configure() = 0;
  virtual std::string log_level() const = 0;  // one of config/log_level.h
  virtual void RegisterMetrics(prometheus::Registry& registry) = 0;
  // Serves until a stop is requested and the work in hand is done; the exit
  // code (2 when it cannot start).
  virtual int Run() = 0;
  // The first SIGINT or SIGTERM: take no new work, finish what is in hand,
  // then return from Run. Must not block.
  virtual void RequestStop(int signal) = 0;
  // Logged when Run has not returned `deadline` after RequestStop, just
  // before the process exits 0 without it: what is lost, or why nothing is.
  virtual std::string DeadlineWarning(std::chrono::milliseconds deadline) = 0;
};

// The whole main: SIGHUP ignored (a restart is how a collector takes a
// changed config, so a closed terminal or a stray `kill -HUP` must not stop
// it); flags parsed and the config loaded (exit 2 on a mistake); the log
// level set; /metrics served (exit 2 when its address is taken); SIGINT and
// SIGTERM caught by an asio::signal_set on a thread of its own, so that no
// thread of the collector needs to mask them. After a stop signal the
// process exits 0 once `shutdown_deadline` has passed, even if Run has not
// returned: a collector blocked on an unreachable daemon must still stop.
int RunCollectorMain(int argc, char** argv, const CollectorIdentity& identity, Collector& collector,
                     std::chrono::milliseconds shutdown_deadline = std::chrono::seconds(4));

}  // namespace atmwatch::client
