#include "journal/journal_process.h"

#include <signal.h>

#include <vector>

#include "http_fetch.h"
#include "read_file.h"
#include "tool_run.h"

namespace atmwatch::testing {

using namespace std::chrono_literals;

bool PendingRoundIn(const std::filesystem::path& dir) {
  return ReadFile(dir / "journal.state").find("\npending ") != std::string::npos;
}

JournalProcess::JournalProcess(const std::filesystem::path& dir, const std::string& ingest,
                               const std::string& log, int metrics_port)
    : metrics_port_(metrics_port) {
  std::vector<std::string> argv = {ATMWATCH_JOURNAL_PATH,
                                   "--config",
                                   (dir / "journal.yaml").string(),
                                   "--path",
                                   (dir / "journals" / "*.csv").string(),
                                   "--state-file",
                                   (dir / "journal.state").string(),
                                   "--ingest",
                                   ingest,
                                   "--metrics-listen",
                                   "127.0.0.1:" + std::to_string(metrics_port_),
                                   "--source-id",
                                   "journal-e2e"};
  pid_ = SpawnLogged(argv, log, /*truncate_log=*/false);
}

JournalProcess::~JournalProcess() {
  if (pid_ > 0) Stop(SIGKILL, 2s);
}

bool JournalProcess::WaitReady() const {
  return Eventually([&] { return HttpGet(metrics_url()).status == 200; }, 10s, 20ms);
}

int JournalProcess::Stop(int signal, std::chrono::milliseconds timeout) {
  return StopChild(&pid_, signal, timeout);
}

double JournalProcess::Metric(const std::string& series) const {
  return SampleValue(HttpGet(metrics_url()).body, series);
}

}  // namespace atmwatch::testing
