#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "client/client_options.h"
#include "client/ingest_client.h"
#include "common/status.h"
#include "journal/journal_files.h"
#include "journal/journal_metrics.h"
#include "journal/journal_state.h"
#include "journal/line_reader.h"
#include "journal/log_limiter.h"

// The poll loop of atmwatch-journal. Every poll: re-glob, then one *round*:
// read complete lines from each file's acknowledged offset (up to
// batch_events × max_in_flight lines), write the round down in the state
// file as `pending` (first seq, byte ranges), send its batches, wait for
// every ack, then write the advanced offsets. Because a round's batches are
// a pure function of the byte ranges written down before sending, a crash
// at any point is followed by a resend of the same batches under the same
// seqs (README.md, "Exactly once").
//
// A round the daemon refuses for its source (UNAUTHENTICATED) stays pending,
// its offsets where they were, and is sent again under the same seqs with
// backoff until the credentials or the daemon's config change.
//
// Blocking, single-threaded; `stop` may be set from another thread and is
// honoured between rounds and while waiting for the daemon. `metrics` must
// outlive this object.
namespace atmwatch::journal {

struct CollectorOptions {
  std::string pattern;
  std::string state_file;
  client::IngestConfig ingest;  // source_id set
  std::chrono::milliseconds poll_interval{250};
  std::size_t batch_events = 1000;
  std::size_t max_in_flight = 8;
};

class JournalCollector {
 public:
  JournalCollector(CollectorOptions options, JournalMetrics& metrics,
                   const std::atomic<bool>& stop);
  ~JournalCollector();

  // Loads the state file (or asks the daemon where a new source starts) and
  // resends a round a crash interrupted. An error means the collector cannot
  // start: an unreadable state file or one of another source.
  Status Start();
  // Polls until `stop`; an error is a state file that cannot be written.
  Status Run();

 private:
  struct Round {
    PendingRound plan;
    std::vector<v1::Envelope> events;
    std::vector<FileProgress> ends;  // each file's progress once the round is acked
  };

  bool BuildRound(Round* round);
  bool RebuildRound(const PendingRound& plan, Round* round);
  Status ReadSegment(JournalFile* file, const LineLimits& limits, Round* round, std::size_t* lines);
  void ReportMalformed(const JournalFile& file, std::uint64_t line, const LineError& error);
  Status Commit(Round& round);
  bool SendUntilAcked(const Round& round);
  Status AbandonPending();
  bool AskNextSeq(std::uint64_t* next_seq);
  client::ClientOptions IngestOptions(std::uint64_t first_seq, std::size_t batch_events) const;
  void NoteRefusal(const Status& status);
  void NoteAccepted();
  void OnAck(const v1::Batch& batch, const v1::Ack& ack);
  void Sleep(std::chrono::milliseconds duration) const;
  void UpdateGauges();

  CollectorOptions options_;
  JournalMetrics& metrics_;
  const std::atomic<bool>& stop_;
  JournalFiles files_;
  JournalState state_;
  std::unique_ptr<client::IngestClient> client_;
  LogLimiter malformed_log_;
  LogLimiter rejected_log_;
  std::uint64_t refused_attempts_ = 0;  // since the daemon last accepted this source
};

}  // namespace atmwatch::journal
