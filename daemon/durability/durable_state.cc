#include "durability/durable_state.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "daemon_snapshot.pb.h"
#include "engine/engine.h"
#include "ingest/ingest_pipeline.h"
#include "metrics/wal_metrics.h"
#include "wal/snapshot_file.h"

namespace atmwatch::durability {
namespace {

// A snapshot (and recovery) builds the whole state a second time as
// protobuf objects, millions of small ones for a national fleet. Freed, they
// leave holes in the heap that glibc keeps; trimming hands those pages back,
// so the daemon's RSS is its state and not its last snapshot.
void ReturnFreedMemory() { malloc_trim(0); }

}  // namespace
namespace {

std::int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class CountingReporter : public wal::SnapshotReporter {
 public:
  void Damaged(const std::string& path, std::string_view reason) override {
    spdlog::warn("snapshot {} is damaged ({}); trying an older one", path, reason);
    ++damaged;
  }
  std::uint64_t damaged = 0;
};

}  // namespace

DurableState::DurableState(DurabilityOptions options, engine::Engine& engine,
                           ingest::IngestPipeline& pipeline, metrics::WalMetrics& metrics)
    : options_(std::move(options)), engine_(engine), pipeline_(pipeline), metrics_(metrics) {}

DurableState::~DurableState() = default;

Status DurableState::Recover(RecoveryReport* report) {
  const auto start = std::chrono::steady_clock::now();
  const std::string snapshots = options_.data_dir + "/snapshots";
  std::error_code ec;
  std::filesystem::create_directories(snapshots, ec);
  if (ec) return Status::Error("cannot create " + snapshots + ": " + ec.message());

  CountingReporter reporter;
  std::string payload;
  if (auto status = wal::LoadNewestSnapshot(snapshots, &reporter, &report->snapshot_lsn, &payload,
                                            &report->snapshot_found);
      !status.ok()) {
    return status;
  }
  report->damaged_snapshots = reporter.damaged;
  for (std::uint64_t i = 0; i < reporter.damaged; ++i) metrics_.CountSkippedSnapshot();
  if (report->snapshot_found) {
    DaemonSnapshot snapshot;
    if (!snapshot.ParseFromString(payload) || !engine_.RestoreState(snapshot.engine())) {
      return Status::Error("snapshot " + wal::SnapshotFileName(report->snapshot_lsn) +
                           " verifies but does not parse; was it written by a newer atmwatchd?");
    }
    pipeline_.RestoreAppliedSeqs({snapshot.applied_seqs().begin(), snapshot.applied_seqs().end()});
    snapshot_lsn_ = report->snapshot_lsn;
  }

  wal::SegmentDirOptions segment_options;
  segment_options.max_segment_bytes = options_.segment_bytes;
  if (auto status = wal::BatchLog::Open(options_.data_dir + "/wal", segment_options, &log_);
      !status.ok()) {
    return status;
  }
  log_->set_last_lsn_at_least(snapshot_lsn_);
  v1::Batch record;
  auto status = log_->Replay(
      snapshot_lsn_, options_.strict,
      [&](std::uint64_t, std::string_view bytes) {
        // Empty records are probes written while recovering from a full disk.
        if (bytes.empty()) return;
        if (record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
          pipeline_.Replay(record);
        }
      },
      &report->replay);
  if (!status.ok()) return status;
  for (const auto& damage : report->replay.damage) spdlog::error("wal: damaged: {}", damage);
  if (report->replay.torn_tail_bytes > 0) {
    spdlog::warn("wal: cut {} bytes of a torn write off the end of the log (normal after a crash)",
                 report->replay.torn_tail_bytes);
  }
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.RecordReplay(static_cast<double>(report->replay.records), report->seconds,
                        static_cast<double>(report->replay.corrupt_bytes),
                        static_cast<double>(report->replay.torn_tail_bytes));
  metrics_.SetSegments(static_cast<double>(log_->segment_count()));
  ReturnFreedMemory();
  return Status::Ok();
}

void DurableState::Start() {
  last_snapshot_ = std::chrono::steady_clock::now();
  commit_ = std::make_unique<ingest::GroupCommit>(*log_, metrics_, options_.commit,
                                                  [this] { MaybeSnapshot(); });
  commit_->Start();
  pipeline_.AttachCommit(commit_.get());
}

void DurableState::Stop() {
  if (!commit_) return;
  commit_->Stop();
  pipeline_.AttachCommit(nullptr);
  if (auto status = WriteSnapshot(); !status.ok()) {
    spdlog::error("shutdown snapshot failed: {}; the log still has everything", status.message());
  }
}

void DurableState::ApplyAtCheckpoint(std::function<void()> change) {
  if (!commit_) {
    change();
    return;
  }
  const bool queued =
      commit_->Enqueue({.record = "", .on_durable = [this, change](bool durable) {
                          if (!durable) {
                            spdlog::warn(
                                "reload applied without a snapshot: the "
                                "log is unavailable");
                          } else if (auto status = WriteSnapshot(); !status.ok()) {
                            metrics_.CountSnapshotError();
                            spdlog::error("snapshot before reload failed: {}", status.message());
                          }
                          change();
                        }});
  if (!queued) {
    spdlog::warn("reload applied without a snapshot: the log is unavailable");
    change();
  }
}

void DurableState::MaybeSnapshot() {
  // Counted in applied records: the log may already hold the next group.
  const std::uint64_t applied = commit_->applied_lsn();
  const bool many = applied - snapshot_lsn_ >= options_.snapshot_every_records;
  const bool due = std::chrono::steady_clock::now() - last_snapshot_ >= options_.snapshot_interval;
  if (!many && !due) return;
  last_snapshot_ = std::chrono::steady_clock::now();
  if (applied == snapshot_lsn_) return;
  if (auto status = WriteSnapshot(); !status.ok()) {
    metrics_.CountSnapshotError();
    spdlog::error("snapshot failed: {}; the log keeps growing until one succeeds",
                  status.message());
  }
}

Status DurableState::WriteSnapshot() {
  const auto start = std::chrono::steady_clock::now();
  DaemonSnapshot snapshot;
  // The log may already hold records whose effects are not applied yet (the
  // group the writer thread is on, or the rest of the group being applied);
  // the snapshot covers only those that are.
  snapshot.set_lsn(commit_->applied_lsn());
  for (const auto& [source, seq] : pipeline_.AppliedSeqs()) {
    (*snapshot.mutable_applied_seqs())[source] = seq;
  }
  snapshot.set_engine(engine_.SerializeState());
  snapshot.set_written_unix_ms(NowUnixMs());
  const std::string payload = snapshot.SerializeAsString();
  const std::string dir = options_.data_dir + "/snapshots";
  if (auto status = wal::WriteSnapshot(dir, snapshot.lsn(), payload); !status.ok()) return status;
  snapshot_lsn_ = snapshot.lsn();
  // The log is kept back to the oldest snapshot kept, so a damaged newest
  // snapshot can fall back to the one before and still replay forward.
  std::optional<std::uint64_t> oldest_kept;
  if (auto status = wal::RemoveOldSnapshots(dir, wal::kSnapshotsKept, &oldest_kept); !status.ok()) {
    return status;
  }
  if (oldest_kept) {
    if (auto status = commit_->DropCoveredBy(*oldest_kept); !status.ok()) return status;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.SnapshotWritten(seconds, static_cast<double>(payload.size()),
                           static_cast<double>(snapshot.written_unix_ms()) / 1000.0);
  metrics_.SetSegments(static_cast<double>(commit_->segment_count()));
  spdlog::info("snapshot at record {} written ({} bytes, {:.3f} s)", snapshot.lsn(), payload.size(),
               seconds);
  ReturnFreedMemory();
  return Status::Ok();
}

}  // namespace atmwatch::durability
