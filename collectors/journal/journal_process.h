#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "testing/child_process.h"

// atmwatch-journal as a child process for the end-to-end tests.
namespace atmwatch::testing {

// Whether the state file of a collector run in `dir` holds a round the
// daemon has not acknowledged yet.
bool PendingRoundIn(const std::filesystem::path& dir);

// The collector as source journal-e2e, reading `dir`/journals/*.csv with
// `dir`/journal.yaml as its --config and `dir`/journal.state as its state
// file, writing its log to `log` (appended); SIGKILLed by the destructor if
// still running. Its metrics port is `metrics_port`, or one picked at each
// start when 0 (it cannot listen on port 0 and say which it took).
class JournalProcess {
 public:
  JournalProcess(const std::filesystem::path& dir, const std::string& ingest,
                 const std::string& log, int metrics_port = 0);
  JournalProcess(const JournalProcess&) = delete;
  JournalProcess& operator=(const JournalProcess&) = delete;

  // Spawns it and waits (bounded) until /metrics answers; a picked port
  // taken between picking and binding is picked again and the start retried.
  bool Start();
  // Spawns without waiting; for start-up failures.
  void Spawn();
  // The exit code, or -1 when it did not exit within `timeout` (then killed);
  // signal 0 only waits.
  int Stop(int signal, std::chrono::milliseconds timeout);
  // The value of one series of its /metrics; -1 when absent.
  double Metric(const std::string& series) const;
  std::string metrics_url() const {
    return "http://127.0.0.1:" + std::to_string(metrics_port_) + "/metrics";
  }

 private:
  std::filesystem::path dir_;
  std::string ingest_;
  std::string log_;
  bool pick_port_;
  int metrics_port_;
  ChildProcess process_;
};

}  // namespace atmwatch::testing
