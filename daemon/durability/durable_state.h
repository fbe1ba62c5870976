#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/group_commit.h"
#include "wal/batch_log.h"

namespace atmwatch::engine {
class Engine;
}
namespace atmwatch::ingest {
class IngestPipeline;
}
namespace atmwatch::metrics {
class WalMetrics;
}

namespace atmwatch::durability {

struct DurabilityOptions {
  std::string data_dir;
  ingest::GroupCommitOptions commit;
  std::uint64_t segment_bytes = 64 << 20;
  // Refuse to start on damage in the middle of the log, or on records missing
  // between the snapshot and the log, instead of starting without them.
  bool strict = false;
  // A snapshot is taken after this many WAL records or this long, whichever first.
  std::uint64_t snapshot_every_records = 1000000;
  std::chrono::seconds snapshot_interval{300};
};

// What start-up recovery found, for the log line and the metrics.
struct RecoveryReport {
  bool snapshot_found = false;
  std::uint64_t snapshot_lsn = 0;
  std::uint64_t damaged_snapshots = 0;
  wal::ReplayReport replay;   // replay.records counts every record read
  std::uint64_t applied = 0;  // batch records above the snapshot, applied
  // LSNs above the snapshot that the log does not hold and no failed write
  // explains: acknowledged batches, probably, that are gone. The error line
  // names their ranges.
  std::uint64_t missing = 0;
  // AbandonRecovery was called: the state is partial and must not be used.
  bool abandoned = false;
  double seconds = 0;
};

// The data directory as the daemon keeps it: <data_dir>/wal (segments) and
// <data_dir>/snapshots. Recovery = newest valid snapshot + replay of the log
// after it; then batches are made durable by group commit, and snapshots are
// taken on its apply thread, where batches are applied one at a time, and on
// shutdown, after which the segments they cover are dropped.
//
// Lifecycle, single-threaded: Recover → Start → … → Stop.
class DurableState {
 public:
  DurableState(DurabilityOptions options, engine::Engine& engine, ingest::IngestPipeline& pipeline,
               metrics::WalMetrics& metrics);
  ~DurableState();

  // Loads the snapshot and replays the log into the engine and the pipeline.
  // Errors name the file: an unreadable directory, damage or missing records
  // with strict on. Nothing in the data directory changes before the replay
  // has read the whole log (then a torn tail is cut).
  Status Recover(RecoveryReport* report);
  // From any thread, while Recover runs: it stops at the next record and
  // returns ok with report->abandoned, having changed nothing on disk.
  void AbandonRecovery() { abandon_ = true; }
  // Starts group commit and hands it to the pipeline.
  void Start();
  // Commits what is queued, stops, and writes a final snapshot.
  void Stop();

  // Runs `change` (a config reload) on the apply thread, after every batch
  // queued before it and right after a snapshot of the state they left.
  // Without that snapshot a restart would replay the batches logged before
  // the change with the config that came after it (new fees re-pricing old
  // withdrawals). While the log is unavailable the change applies at once.
  void ApplyAtCheckpoint(std::function<void()> change);

  ingest::GroupCommit* commit() { return commit_.get(); }

 private:
  void MaybeSnapshot();
  Status WriteSnapshot();

  DurabilityOptions options_;
  engine::Engine& engine_;
  ingest::IngestPipeline& pipeline_;
  metrics::WalMetrics& metrics_;
  std::unique_ptr<wal::BatchLog> log_;
  std::unique_ptr<ingest::GroupCommit> commit_;
  std::uint64_t snapshot_lsn_ = 0;
  std::chrono::steady_clock::time_point last_snapshot_;
  std::atomic<bool> abandon_{false};
};

}  // namespace atmwatch::durability
