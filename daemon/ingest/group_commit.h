#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/status.h"

namespace atmwatch::wal {
class BatchLog;
}
namespace atmwatch::metrics {
class WalMetrics;
}

namespace atmwatch::ingest {

struct GroupCommitOptions {
  // fsync before acknowledging. Off only when the operator says so; then
  // an acknowledged batch can be lost with the machine (not with the process).
  bool fsync = true;
  // How long the first batch of a group waits for others to share its
  // fsync. Groups form anyway while the previous fsync runs.
  std::chrono::microseconds max_delay{0};
  // A group is written as soon as its records add up to this many bytes.
  std::size_t max_group_bytes = 4 << 20;
  // Batches are refused while the log's filesystem has less free space than
  // this, so a full disk is met before a write tears (0 = no reserve).
  std::uint64_t min_free_bytes = 64 << 20;
  // While the log is failing, how often to try it again.
  std::chrono::milliseconds retry_interval{1000};
};

// Makes records durable in groups, on two threads so that writing one group
// overlaps applying the one before:
//
// - the writer thread takes everything queued, appends it to the log and
//   fsyncs once, then hands the group to the apply thread;
// - the apply thread reports each entry of the group, in queue order, as
//   durable (or not, when the write or fsync failed), then runs after_group.
//
// While group N is applied, group N+1 is written and fsynced, so an ack
// waits for one fsync and one apply, not for the sum over the groups ahead
// of it. The writer hands over a group only once the one before is applied:
// it is never more than one group ahead, which bounds memory and leaves at
// most one durable group unapplied at a crash (replay applies it).
//
// After a failure, or when free space drops below the reserve (checked for
// every group, at Start and every retry_interval while idle), the log is
// unhealthy: the failed group is rolled back out of the log (BatchLog::
// Rollback) before it and everything queued behind it are reported not
// durable (after the groups before them), new entries are refused, and the
// writer tries the rollback, the reserve and a probe record every
// retry_interval until all succeed (space freed, disk back) with room for the
// failed group, then resumes by itself. Each change of state is logged once.
// A refused batch is never in the log once the log takes writes again, so its
// source's retry is applied exactly once.
//
// Thread-safety: Enqueue from any thread. on_durable and after_group run on
// the apply thread, never inside Enqueue, so what they do is serialised:
// the engine is applied there. The log belongs to the writer thread; the
// apply thread reaches it only through DropCoveredBy and segment_count.
class GroupCommit {
 public:
  struct Entry {
    // Appended to the log; empty for an entry that only has to wait for
    // everything queued before it (an ack of a retried batch).
    std::string record;
    std::function<void(bool durable)> on_durable;
    std::uint64_t lsn = 0;  // set by the writer thread once the record is appended
  };
  // Runs on the apply thread after each durable group is applied, between
  // groups: the place to take a consistent snapshot (of applied_lsn, as the
  // log may already hold the next group).
  using AfterGroup = std::function<void()>;

  GroupCommit(wal::BatchLog& log, metrics::WalMetrics& metrics, GroupCommitOptions options,
              AfterGroup after_group);
  ~GroupCommit();

  void Start();
  // Commits and applies what is queued, then stops both threads. Entries
  // enqueued after Stop are refused.
  void Stop();

  // Queues the entry; false, without calling on_durable, when the log is
  // unhealthy or stopping. Refusing rather than answering inline lets the
  // caller enqueue under its own locks and answer after deciding what a
  // refusal undoes.
  [[nodiscard]] bool Enqueue(Entry entry);

  bool healthy() const { return healthy_; }

  // The LSN of the last record whose entry has been reported durable, i.e.
  // whose effects are applied: what a snapshot taken on the apply thread
  // (in on_durable or after_group) covers. Apply thread only, or after Stop.
  std::uint64_t applied_lsn() const { return applied_lsn_; }
  // Why the log went unhealthy last ("" if it never did); kept after it
  // recovers, for the refusals of the groups that failed. For /readyz and
  // the UNAVAILABLE answers.
  std::string last_error() const;

  // BatchLog::DropCoveredBy and segment_count for snapshots, taking turns
  // with the writer thread. lsn is a snapshot's, so at most applied_lsn():
  // the records of the group being written are above it and stay.
  Status DropCoveredBy(std::uint64_t lsn);
  std::size_t segment_count() const;

 private:
  // A group the writer has finished with, for the apply thread.
  struct Written {
    std::deque<Entry> entries;
    bool durable = false;
  };

  void WriteLoop();
  void ApplyLoop();
  // Appends and fsyncs the group; false (and the log unhealthy) on failure.
  bool Write(std::deque<Entry>& group);
  // Ok when the filesystem still has the configured reserve, is not full,
  // and has room for group_bytes (a group that failed, to be retried).
  Status CheckReserve(std::uint64_t group_bytes = 0) const;
  // Refuses new entries from now on; logged once per change of state.
  void BecomeUnhealthy(const Status& status);
  void HandOver(Written written, std::unique_lock<std::mutex>& lock);
  void Apply(Written& written);
  void Recover(std::unique_lock<std::mutex>& lock);

  wal::BatchLog& log_;
  metrics::WalMetrics& metrics_;
  const GroupCommitOptions options_;
  AfterGroup after_group_;

  // Held by the writer while it writes or reopens the log, and by the apply
  // thread while it drops segments: all of them change the log's list of
  // segments (a write may start one, Rollback deletes it). A snapshot may
  // wait out one fsync here, little beside the snapshot itself. Never taken
  // together with mutex_.
  mutable std::mutex log_mutex_;

  mutable std::mutex mutex_;
  std::condition_variable writer_wakeup_;
  std::condition_variable apply_wakeup_;
  std::deque<Entry> queue_;
  std::size_t queued_bytes_ = 0;
  // From when the writer hands a group over until it is applied. The writer
  // waits for it to be empty before handing over the next one.
  std::optional<Written> written_;
  bool stopping_ = false;
  bool writer_done_ = false;
  std::atomic<bool> healthy_{true};
  std::uint64_t applied_lsn_;  // apply thread only
  std::string last_error_;
  // Bytes of the last group whose write failed; writer thread only.
  std::uint64_t failed_group_bytes_ = 0;
  std::thread writer_;
  std::thread applier_;
};

}  // namespace atmwatch::ingest
