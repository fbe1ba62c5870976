#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
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

// Makes records durable in groups: one thread takes everything queued,
// appends it to the log, fsyncs once, then reports each entry, in queue
// order, as durable (or not, when the write or fsync failed).
//
// After a failure, or when free space drops below the reserve, the log is
// unhealthy: queued and new entries are reported not durable at once, and
// the thread reopens the log every retry_interval until it takes writes and
// the reserve is back (space freed, disk back), then resumes by itself.
//
// Thread-safety: Enqueue from any thread. on_durable runs on the commit
// thread, never inside Enqueue, so what it does is serialised: the engine is applied there.
class GroupCommit {
 public:
  struct Entry {
    // Appended to the log; empty for an entry that only has to wait for
    // everything queued before it (an ack of a retried batch).
    std::string record;
    std::function<void(bool durable)> on_durable;
    std::uint64_t lsn = 0;  // set by the commit thread once the record is appended
  };
  // Runs on the commit thread after each durable group, with nothing in
  // flight: the place to take a consistent snapshot.
  using AfterGroup = std::function<void()>;

  GroupCommit(wal::BatchLog& log, metrics::WalMetrics& metrics, GroupCommitOptions options,
              AfterGroup after_group);
  ~GroupCommit();

  void Start();
  // Commits what is queued, then stops the thread. Entries enqueued after
  // Stop are reported not durable.
  void Stop();

  // Queues the entry; false, without calling on_durable, when the log is
  // unhealthy or stopping. Refusing rather than answering inline lets the
  // caller enqueue under its own locks and answer after deciding what a
  // refusal undoes.
  [[nodiscard]] bool Enqueue(Entry entry);

  bool healthy() const { return healthy_; }

  // The LSN of the last record whose entry has been reported durable, i.e.
  // whose effects are applied: what a snapshot taken on the commit thread
  // (in on_durable or after_group) covers. Commit thread only.
  std::uint64_t applied_lsn() const { return applied_lsn_; }
  // The last write error while unhealthy ("" when healthy); for /readyz.
  std::string last_error() const;

 private:
  void Run();
  bool CommitGroup(std::deque<Entry>& group);
  // Ok when the filesystem still has the configured reserve.
  Status CheckReserve() const;
  void FailAll(std::deque<Entry>& group);
  void Recover(std::unique_lock<std::mutex>& lock);

  wal::BatchLog& log_;
  metrics::WalMetrics& metrics_;
  const GroupCommitOptions options_;
  AfterGroup after_group_;

  mutable std::mutex mutex_;
  std::condition_variable wakeup_;
  std::deque<Entry> queue_;
  std::size_t queued_bytes_ = 0;
  bool stopping_ = false;
  std::atomic<bool> healthy_{true};
  std::uint64_t applied_lsn_;  // commit thread only
  std::string last_error_;
  std::thread thread_;
};

}  // namespace atmwatch::ingest
