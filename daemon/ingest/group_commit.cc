#include "ingest/group_commit.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "metrics/wal_metrics.h"
#include "wal/batch_log.h"

namespace atmwatch::ingest {

GroupCommit::GroupCommit(wal::BatchLog& log, metrics::WalMetrics& metrics,
                         GroupCommitOptions options, AfterGroup after_group)
    : log_(log),
      metrics_(metrics),
      options_(options),
      after_group_(std::move(after_group)),
      applied_lsn_(log.last_lsn()) {
  metrics_.SetFsyncEnabled(options_.fsync);
}

GroupCommit::~GroupCommit() { Stop(); }

void GroupCommit::Start() {
  // A disk already below the reserve is unhealthy before the first batch,
  // so /readyz says so from the start.
  if (Status status = CheckReserve(); !status.ok()) BecomeUnhealthy(status);
  applier_ = std::thread([this] { ApplyLoop(); });
  writer_ = std::thread([this] { WriteLoop(); });
}

void GroupCommit::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  writer_wakeup_.notify_all();
  // The writer drains the queue first; the apply thread then applies the
  // last group and sees writer_done_.
  if (writer_.joinable()) writer_.join();
  if (applier_.joinable()) applier_.join();
}

std::string GroupCommit::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

Status GroupCommit::DropCoveredBy(std::uint64_t lsn) {
  std::lock_guard lock(log_mutex_);
  return log_.DropCoveredBy(lsn);
}

std::size_t GroupCommit::segment_count() const {
  std::lock_guard lock(log_mutex_);
  return log_.segment_count();
}

bool GroupCommit::Enqueue(Entry entry) {
  std::lock_guard lock(mutex_);
  if (stopping_ || !healthy_) return false;
  queued_bytes_ += entry.record.size();
  queue_.push_back(std::move(entry));
  if (queue_.size() == 1 || queued_bytes_ >= options_.max_group_bytes) writer_wakeup_.notify_one();
  return true;
}

void GroupCommit::WriteLoop() {
  std::unique_lock lock(mutex_);
  if (!healthy_) Recover(lock);
  for (;;) {
    // Idle, free space can still go (other files on the disk): it is looked
    // at every retry_interval, not only when a batch comes.
    if (!writer_wakeup_.wait_for(lock, options_.retry_interval,
                                 [&] { return stopping_ || !queue_.empty(); })) {
      lock.unlock();
      Status status = CheckReserve();
      lock.lock();
      if (!status.ok()) {
        lock.unlock();
        BecomeUnhealthy(status);
        lock.lock();
        Recover(lock);
      }
      continue;
    }
    if (queue_.empty()) break;  // stopping, nothing left
    // Let more batches join the group, unless it is already big enough.
    if (options_.max_delay.count() > 0 && !stopping_) {
      writer_wakeup_.wait_for(lock, options_.max_delay, [&] {
        return stopping_ || queued_bytes_ >= options_.max_group_bytes;
      });
    }
    Written written;
    written.entries.swap(queue_);
    queued_bytes_ = 0;
    lock.unlock();
    written.durable = Write(written.entries);
    lock.lock();
    const bool durable = written.durable;
    HandOver(std::move(written), lock);
    if (!durable) Recover(lock);
  }
  writer_done_ = true;
  apply_wakeup_.notify_one();
}

void GroupCommit::HandOver(Written written, std::unique_lock<std::mutex>& lock) {
  writer_wakeup_.wait(lock, [&] { return !written_; });
  if (!written.durable) {
    // What queued up behind a failed group is not durable either, and is
    // reported right after it. Nothing joins later: the log is unhealthy.
    for (auto& entry : queue_) written.entries.push_back(std::move(entry));
    queue_.clear();
    queued_bytes_ = 0;
  }
  written_ = std::move(written);
  apply_wakeup_.notify_one();
}

void GroupCommit::ApplyLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    apply_wakeup_.wait(lock, [&] { return written_ || writer_done_; });
    if (!written_) return;  // the writer stopped and everything is applied
    lock.unlock();
    // written_ stays set, holding the writer back, until the group is applied.
    Apply(*written_);
    lock.lock();
    written_.reset();
    writer_wakeup_.notify_one();
  }
}

Status GroupCommit::CheckReserve(std::uint64_t group_bytes) const {
  std::uint64_t free = 0;
  if (auto status = log_.FreeBytes(&free); !status.ok()) return status;
  // Even without a reserve, a full disk takes no write; and after a failed
  // group, a probe fitting in the last few free bytes proves nothing until
  // the group itself would fit: healthy and refusing at once is the worst.
  if (free >= options_.min_free_bytes && free > 0 && free >= group_bytes) return Status::Ok();
  if (free < options_.min_free_bytes) {
    return Status::Error(
        fmt::format("{}: No space left on device: {} bytes free, below the reserve of {} "
                    "(wal.min_free_bytes)",
                    log_.dir(), free, options_.min_free_bytes));
  }
  return Status::Error(
      fmt::format("{}: No space left on device: {} bytes free{}", log_.dir(), free,
                  group_bytes > free ? fmt::format(", and the group refused needs {}", group_bytes)
                                     : std::string()));
}

void GroupCommit::BecomeUnhealthy(const Status& status) {
  {
    std::lock_guard lock(mutex_);
    healthy_ = false;
    last_error_ = status.message();
  }
  spdlog::error("wal: {}; refusing new batches until the log can be written again",
                status.message());
  metrics_.SetHealthy(false);
}

bool GroupCommit::Write(std::deque<Entry>& group) {
  std::size_t bytes = 0;
  Status status = CheckReserve();
  Status undone;
  {
    std::lock_guard log_lock(log_mutex_);
    for (auto& entry : group) {
      if (!status.ok()) break;
      if (entry.record.empty()) continue;
      status = log_.Append(entry.record);
      entry.lsn = log_.last_lsn();
      bytes += entry.record.size();
    }
    if (status.ok() && options_.fsync) {
      const auto start = std::chrono::steady_clock::now();
      status = log_.Commit(/*sync=*/true);
      metrics_.ObserveFsync(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    } else if (status.ok()) {
      status = log_.Commit(/*sync=*/false);
    }
    // Before anyone hears of the refusal, so that a refused batch is not in
    // the log when its source sends it again.
    if (!status.ok()) undone = log_.Rollback();
  }
  if (!status.ok()) {
    failed_group_bytes_ = 0;
    for (const auto& entry : group) failed_group_bytes_ += entry.record.size();
    if (!undone.ok()) {
      spdlog::error("wal: cannot remove the failed write from the log yet: {}", undone.message());
    }
    metrics_.CountWriteError();
    BecomeUnhealthy(status);
    return false;
  }
  metrics_.ObserveGroup(static_cast<double>(group.size()), static_cast<double>(bytes));
  return true;
}

void GroupCommit::Apply(Written& written) {
  if (!written.durable) {
    for (auto& entry : written.entries) entry.on_durable(false);
    return;
  }
  for (auto& entry : written.entries) {
    if (entry.lsn != 0) applied_lsn_ = entry.lsn;
    entry.on_durable(true);
  }
  if (after_group_) after_group_();
}

void GroupCommit::Recover(std::unique_lock<std::mutex>& lock) {
  for (;;) {
    lock.unlock();
    Status status;
    {
      // Nothing is accepted before the failed write is out of the log. A
      // probe record (wal::IsProbeRecord) then proves the disk takes writes
      // again; a failed probe is rolled back like any group.
      std::lock_guard log_lock(log_mutex_);
      status = log_.Rollback();
      if (status.ok()) status = CheckReserve(failed_group_bytes_);
      if (status.ok()) status = log_.Append("");
      if (status.ok()) status = log_.Commit(options_.fsync);
    }
    lock.lock();
    if (status.ok()) {
      healthy_ = true;
      failed_group_bytes_ = 0;
      metrics_.SetHealthy(true);
      spdlog::info("wal: the log can be written again; accepting batches");
      return;
    }
    last_error_ = status.message();
    if (stopping_) return;
    writer_wakeup_.wait_for(lock, options_.retry_interval, [&] { return stopping_; });
    if (stopping_) return;
  }
}

}  // namespace atmwatch::ingest
