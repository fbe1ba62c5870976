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
  thread_ = std::thread([this] { Run(); });
}

void GroupCommit::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeup_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string GroupCommit::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

bool GroupCommit::Enqueue(Entry entry) {
  std::lock_guard lock(mutex_);
  if (stopping_ || !healthy_) return false;
  queued_bytes_ += entry.record.size();
  queue_.push_back(std::move(entry));
  if (queue_.size() == 1 || queued_bytes_ >= options_.max_group_bytes) wakeup_.notify_one();
  return true;
}

void GroupCommit::Run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wakeup_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    // Let more batches join the group, unless it is already big enough.
    if (options_.max_delay.count() > 0 && !stopping_) {
      wakeup_.wait_for(lock, options_.max_delay,
                       [&] { return stopping_ || queued_bytes_ >= options_.max_group_bytes; });
    }
    std::deque<Entry> group;
    group.swap(queue_);
    queued_bytes_ = 0;
    lock.unlock();
    const bool durable = CommitGroup(group);
    lock.lock();
    if (!durable) Recover(lock);
  }
}

Status GroupCommit::CheckReserve() const {
  if (options_.min_free_bytes == 0) return Status::Ok();
  std::uint64_t free = 0;
  if (auto status = log_.FreeBytes(&free); !status.ok()) return status;
  if (free >= options_.min_free_bytes) return Status::Ok();
  return Status::Error(fmt::format(
      "{}: No space left on device: {} bytes free, below the reserve of {} (wal.min_free_bytes)",
      log_.dir(), free, options_.min_free_bytes));
}

bool GroupCommit::CommitGroup(std::deque<Entry>& group) {
  std::size_t bytes = 0;
  Status status = CheckReserve();
  for (auto& entry : group) {
    if (!status.ok()) break;
    if (entry.record.empty()) continue;
    status = log_.Append(entry.record);
    entry.lsn = log_.last_lsn();
    bytes += entry.record.size();
  }
  if (status.ok() && options_.fsync) {
    const auto start = std::chrono::steady_clock::now();
    status = log_.Sync();
    metrics_.ObserveFsync(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  if (!status.ok()) {
    {
      std::lock_guard lock(mutex_);
      healthy_ = false;
      last_error_ = status.message();
    }
    spdlog::error("wal: {}; refusing new batches until the log can be written again",
                  status.message());
    metrics_.CountWriteError();
    metrics_.SetHealthy(false);
    FailAll(group);
    return false;
  }
  metrics_.ObserveGroup(static_cast<double>(group.size()), static_cast<double>(bytes));
  for (auto& entry : group) {
    if (entry.lsn != 0) applied_lsn_ = entry.lsn;
    entry.on_durable(true);
  }
  applied_lsn_ = log_.last_lsn();
  if (after_group_) after_group_();
  return true;
}

void GroupCommit::FailAll(std::deque<Entry>& group) {
  for (auto& entry : group) entry.on_durable(false);
  group.clear();
}

void GroupCommit::Recover(std::unique_lock<std::mutex>& lock) {
  for (;;) {
    // Whatever queued up while the group failed is not durable either.
    std::deque<Entry> stale;
    stale.swap(queue_);
    queued_bytes_ = 0;
    lock.unlock();
    FailAll(stale);
    // A probe record proves the disk takes writes again; replay skips it.
    Status status = log_.Reopen();
    if (status.ok()) status = CheckReserve();
    if (status.ok()) status = log_.Append("");
    if (status.ok() && options_.fsync) status = log_.Sync();
    lock.lock();
    if (status.ok()) {
      healthy_ = true;
      last_error_.clear();
      metrics_.SetHealthy(true);
      spdlog::info("wal: the log can be written again; accepting batches");
      return;
    }
    last_error_ = status.message();
    if (stopping_) return;
    wakeup_.wait_for(lock, options_.retry_interval, [&] { return stopping_; });
    if (stopping_) return;
  }
}

}  // namespace atmwatch::ingest
