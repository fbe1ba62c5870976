#include "durability/durable_state.h"

#include <fmt/format.h>
#include <malloc.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <string_view>
#include <vector>

#include "common/wall_clock.h"
#include "daemon_snapshot.pb.h"
#include "engine/engine.h"
#include "ingest/ingest_pipeline.h"
#include "metrics/wal_metrics.h"
#include "wal/segment_dir.h"
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

// LSNs first..last, both included.
struct LsnRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

// Follows the LSNs of the records above the snapshot and collects the ones
// that are missing. LSNs are given in order, one per record, and a failed
// write's are given again once it is cut out of the log. Logs of 0.7 and
// earlier spent a failed write's LSNs and then wrote an empty probe record
// before anything else, so a gap that ends at a probe is a failed write's,
// not lost history. Nothing can be in the log below its
// oldest segment's name: a gap there is history dropped with segments that
// a snapshot, now damaged or gone, used to cover.
class LsnGaps {
 public:
  static constexpr std::size_t kRangesKept = 5;

  LsnGaps(std::uint64_t snapshot_lsn, std::uint64_t first_segment_lsn)
      : next_(snapshot_lsn + 1), first_segment_lsn_(first_segment_lsn) {
    if (first_segment_lsn > next_) {
      Add(next_, first_segment_lsn - 1);
      next_ = first_segment_lsn;
    }
  }

  void Follow(std::uint64_t lsn, bool probe) {
    if (lsn < next_) return;
    if (lsn > next_ && !probe) Add(next_, lsn - 1);
    next_ = lsn + 1;
  }

  std::uint64_t missing() const { return missing_; }
  std::uint64_t first_segment_lsn() const { return first_segment_lsn_; }
  // The first kRangesKept ranges.
  const std::vector<LsnRange>& ranges() const { return ranges_; }
  std::size_t range_count() const { return range_count_; }

 private:
  void Add(std::uint64_t first, std::uint64_t last) {
    missing_ += last - first + 1;
    ++range_count_;
    if (ranges_.size() < kRangesKept) ranges_.push_back({first, last});
  }

  std::uint64_t next_;
  std::uint64_t first_segment_lsn_;
  std::uint64_t missing_ = 0;
  std::size_t range_count_ = 0;
  std::vector<LsnRange> ranges_;
};

// "LSNs 1..4999 (before wal-00000000000000005000.log, the oldest segment)"
std::string DescribeMissing(const RecoveryReport& report, const LsnGaps& gaps) {
  std::string text = "LSNs ";
  for (std::size_t i = 0; i < gaps.ranges().size(); ++i) {
    const LsnRange& range = gaps.ranges()[i];
    if (i > 0) text += ", ";
    text += range.first == range.last ? fmt::format("{}", range.first)
                                      : fmt::format("{}..{}", range.first, range.last);
    if (range.last + 1 == gaps.first_segment_lsn() && range.first == report.snapshot_lsn + 1) {
      text += fmt::format(" (before {}, the oldest segment)",
                          wal::SegmentDir::SegmentFileName(gaps.first_segment_lsn()));
    }
  }
  if (gaps.range_count() > gaps.ranges().size()) {
    text += fmt::format(" and {} more ranges", gaps.range_count() - gaps.ranges().size());
  }
  text += report.snapshot_found
              ? fmt::format(", after the snapshot at record {}", report.snapshot_lsn)
              : std::string(", with no usable snapshot");
  return text;
}

Status RefuseMissing(const RecoveryReport& report, const LsnGaps& gaps) {
  return Status::Error(fmt::format(
      "{} records are missing: {}; refusing to start (wal.strict). Restore the data directory "
      "from a backup, or start without wal.strict to run without them",
      gaps.missing(), DescribeMissing(report, gaps)));
}

// Thrown out of the replay's apply callback to leave BatchLog::Replay before
// it changes anything on disk.
struct ReplayAbandoned {};

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
  if (abandon_) {
    report->abandoned = true;
    return Status::Ok();
  }
  LsnGaps gaps(snapshot_lsn_, log_->first_segment_lsn());
  if (options_.strict && gaps.missing() > 0) return RefuseMissing(*report, gaps);
  v1::Batch record;
  Status status;
  try {
    status = log_->Replay(
        snapshot_lsn_, options_.strict,
        [&](std::uint64_t lsn, std::string_view bytes) {
          if (abandon_) throw ReplayAbandoned{};
          // Empty records are probes written while recovering from a failed write.
          gaps.Follow(lsn, /*probe=*/bytes.empty());
          if (bytes.empty()) return;
          if (record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
            pipeline_.Replay(record);
            ++report->applied;
          }
        },
        &report->replay);
  } catch (const ReplayAbandoned&) {
    report->abandoned = true;
    return Status::Ok();
  }
  // Damage that lost records is refused by the replay itself, naming the
  // file and offset; what is left is records gone with whole segments.
  if (!status.ok()) return status;
  if (options_.strict && gaps.missing() > 0) return RefuseMissing(*report, gaps);
  report->missing = gaps.missing();
  for (const auto& damage : report->replay.damage) spdlog::error("wal: damaged: {}", damage);
  if (!report->replay.covered_damage.empty()) {
    spdlog::info(
        "wal: {} damaged places lie in records the snapshot at record {} already holds; nothing "
        "is missing, and they go with the segments once newer snapshots cover them (first: {})",
        report->replay.covered_damage.size(), snapshot_lsn_, report->replay.covered_damage.front());
  }
  if (report->missing > 0) {
    spdlog::error(
        "recovery: {} records are missing: {}; they are in no usable snapshot and not in the "
        "log, so what they acknowledged is not counted and sources will not resend it "
        "(wal.strict refuses to start instead)",
        report->missing, DescribeMissing(*report, gaps));
  }
  if (report->replay.torn_tail_bytes > 0) {
    spdlog::warn("wal: cut {} bytes of a torn write off the end of the log (normal after a crash)",
                 report->replay.torn_tail_bytes);
  }
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.RecordReplay(static_cast<double>(report->applied), report->seconds,
                        static_cast<double>(report->replay.corrupt_bytes),
                        static_cast<double>(report->replay.torn_tail_bytes));
  metrics_.SetMissingRecords(static_cast<double>(report->missing));
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
