#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "http_fetch.h"

namespace atmwatch::testing {

// A free TCP port on 127.0.0.1 at the time of asking.
int FreePort();

// A real atmwatchd started on free loopback ports with its own temporary
// data directory, its output captured to a log file in that directory.
// The destructor kills a daemon still running and removes the directory.
class DaemonProcess {
 public:
  // config_yaml is written to the data directory's parent and passed with
  // --config; listeners and data dir come as flags.
  explicit DaemonProcess(std::string config_yaml = "", std::vector<std::string> extra_args = {});
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  // Spawns the daemon and waits (bounded) until /readyz answers 200.
  // False if it exited or never became ready; log() says why.
  bool Start(std::chrono::seconds timeout = std::chrono::seconds(20));
  // Spawns without waiting; for start-up failures.
  void Spawn();
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
  // The directory holding config, log and (by default) data; removed at the end.
  const std::string& root() const { return root_; }
  // Replaces the config file (for SIGHUP reloads).
  void WriteConfig(const std::string& config_yaml) const;
  // The config sets http.tls: http_base() is https://, and Start's
  // readiness probe connects as `client`. Call before Start.
  void UseHttps(HttpClientOptions client) { https_client_ = std::move(client); }

  std::string ingest_address() const;
  std::string http_base() const;     // "http://127.0.0.1:PORT", or https:// after UseHttps
  std::string http_address() const;  // "127.0.0.1:PORT"
  const std::string& data_dir() const { return data_dir_; }
  std::string log() const;
  pid_t pid() const { return pid_; }

 private:
  std::string root_;  // temporary directory holding config, log and data
  std::string data_dir_;
  std::string config_path_;
  std::vector<std::string> extra_args_;
  int ingest_port_;
  int http_port_;
  std::optional<HttpClientOptions> https_client_;
  pid_t pid_ = -1;
};

}  // namespace atmwatch::testing
