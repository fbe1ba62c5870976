#include "journal/journal_process.h"

#include <vector>

#include "testing/http_fetch.h"
#include "testing/picked_port.h"
#include "testing/read_file.h"

namespace atmwatch::testing {

using namespace std::chrono_literals;

bool PendingRoundIn(const std::filesystem::path& dir) {
  return ReadFile(dir / "journal.state").find("\npending ") != std::string::npos;
}

JournalProcess::JournalProcess(const std::filesystem::path& dir, const std::string& ingest,
                               const std::string& log, int metrics_port)
    : dir_(dir),
      ingest_(ingest),
      log_(log),
      pick_port_(metrics_port == 0),
      metrics_port_(metrics_port) {}

void JournalProcess::Spawn() {
  if (pick_port_) metrics_port_ = FreePort();
  process_.Spawn({ATMWATCH_JOURNAL_PATH, "--config", (dir_ / "journal.yaml").string(), "--path",
                  (dir_ / "journals" / "*.csv").string(), "--state-file",
                  (dir_ / "journal.state").string(), "--ingest", ingest_, "--metrics-listen",
                  "127.0.0.1:" + std::to_string(metrics_port_), "--source-id", "journal-e2e"},
                 log_);
}

bool JournalProcess::Start() {
  return StartWithPortRetries(
      process_,
      [&] {
        Spawn();
        return process_.pid() > 0;
      },
      [&] { return HttpGet(metrics_url()).status == 200; }, {"cannot serve metrics on"}, 10s,
      pick_port_ ? 3 : 1);
}

int JournalProcess::Stop(int signal, std::chrono::milliseconds timeout) {
  if (signal == 0) return process_.Wait(timeout);
  return process_.Stop(signal, timeout);
}

double JournalProcess::Metric(const std::string& series) const {
  return SampleValue(HttpGet(metrics_url()).body, series);
}

}  // namespace atmwatch::testing
