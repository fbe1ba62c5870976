#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "daemon_process.h"
#include "eventually.h"

// atmwatch-journal as a child process for the end-to-end tests.
namespace atmwatch::testing {

// Whether the state file of a collector run in `dir` holds a round the
// daemon has not acknowledged yet.
bool PendingRoundIn(const std::filesystem::path& dir);

// The collector as source journal-e2e, reading `dir`/journals/*.csv with
// `dir`/journal.yaml as its --config and `dir`/journal.state as its state
// file, writing its log to `log`; SIGKILLed by the destructor if still
// running.
class JournalProcess {
 public:
  JournalProcess(const std::filesystem::path& dir, const std::string& ingest,
                 const std::string& log, int metrics_port = FreePort());
  ~JournalProcess();
  JournalProcess(const JournalProcess&) = delete;
  JournalProcess& operator=(const JournalProcess&) = delete;

  bool WaitReady() const;
  // The exit code, or -1 when it did not exit within `timeout` (then killed);
  // signal 0 only waits.
  int Stop(int signal, std::chrono::milliseconds timeout);
  // The value of one series of its /metrics; -1 when absent.
  double Metric(const std::string& series) const;
  std::string metrics_url() const {
    return "http://127.0.0.1:" + std::to_string(metrics_port_) + "/metrics";
  }

 private:
  int metrics_port_;
  pid_t pid_ = -1;
};

}  // namespace atmwatch::testing
