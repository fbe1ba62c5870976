#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "testing/child_process.h"
#include "testing/http_fetch.h"
#include "testing/temp_dir.h"

namespace atmwatch::testing {

// A real atmwatchd with its own temporary data directory, its output
// captured to a log file in that directory. Its first start listens on port
// 0 for ingest and HTTP and reads the ports it was given from its log
// ("ingest: listening on ..."); later starts reuse them, so that clients
// keep their address across a restart. The destructor kills a daemon still
// running and removes the directory.
class DaemonProcess {
 public:
  // config_yaml is written to the data directory's parent and passed with
  // --config; listeners and data dir come as flags.
  explicit DaemonProcess(std::string config_yaml = "", std::vector<std::string> extra_args = {});
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  // Spawns the daemon and waits (bounded) until /readyz answers 200.
  // False if it exited or never became ready; log() says why.
  bool Start(std::chrono::seconds timeout = std::chrono::seconds(20));
  // Spawns without waiting; for start-up failures. WaitListening then
  // learns the ports.
  void Spawn();
  // Waits (bounded) until the daemon spawned last has logged both bound
  // ports; false when it exited first or the deadline passed.
  bool WaitListening(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Sends `signal` and waits up to `timeout` for the exit; returns the exit
  // code, or -1 if it did not exit in time (it is then killed).
  int Stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Waits for the process to exit by itself; the exit code, or -1.
  int WaitExit(std::chrono::milliseconds timeout);
  void Signal(int signal) const;
  // SIGKILL and reap: a crash, as far as the data directory can tell.
  void Kill();
  // Puts the data directory elsewhere (e.g. on a filesystem the test mounted);
  // call before the first start.
  void set_data_dir(std::string dir) { data_dir_ = std::move(dir); }
  // Listens for ingest on this port rather than on one the system picks
  // (a test that holds the port itself); call before the first start.
  void set_ingest_port(int port) { ingest_port_ = port; }
  // The directory holding config, log and (by default) data; removed at the end.
  const std::string& root() const { return root_.path(); }
  // Replaces the config file (for SIGHUP reloads).
  void WriteConfig(const std::string& config_yaml) const;
  // The config sets http.tls: http_base() is https://, and Start's
  // readiness probe connects as `client`. Call before Start.
  void UseHttps(HttpClientOptions client) { https_client_ = std::move(client); }

  // The addresses once the daemon has listened (port 0 before that).
  std::string ingest_address() const;
  std::string http_base() const;     // "http://127.0.0.1:PORT", or https:// after UseHttps
  std::string http_address() const;  // "127.0.0.1:PORT"
  const std::string& data_dir() const { return data_dir_; }
  std::string log() const { return process_.log(); }
  pid_t pid() const { return process_.pid(); }

 private:
  TempDir root_{"atmwatchd-test"};  // config, log and data
  std::string data_dir_;
  std::string config_path_;
  std::vector<std::string> extra_args_;
  int ingest_port_ = 0;
  int http_port_ = 0;
  std::size_t log_offset_ = 0;  // where the output of the latest start begins
  std::optional<HttpClientOptions> https_client_;
  ChildProcess process_;
};

}  // namespace atmwatch::testing
