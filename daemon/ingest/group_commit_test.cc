#include "ingest/group_commit.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "metrics/wal_metrics.h"
#include "testing/eventually.h"
#include "testing/temp_dir.h"
#include "wal/batch_log.h"
#include "wal/faulty_file.h"

namespace atmwatch::ingest {
namespace {

using atmwatch::testing::TempDir;

// A bound on every wait, so a broken commit fails the test instead of
// hanging it; a correct one never comes near it.
constexpr auto kTimeout = std::chrono::seconds(20);

// Polled every millisecond: the threads it waits for answer within
// microseconds.
bool Eventually(const std::function<bool()>& done) {
  return testing::Eventually(done, kTimeout, std::chrono::milliseconds(1));
}

// How an entry's on_durable was called.
struct Call {
  int id;
  bool durable;
  std::uint64_t applied_lsn;  // applied_lsn() inside the call
};

bool operator==(const Call& a, const Call& b) {
  return a.id == b.id && a.durable == b.durable && a.applied_lsn == b.applied_lsn;
}

void PrintTo(const Call& call, std::ostream* os) {
  *os << "{id " << call.id << (call.durable ? ", durable" : ", not durable") << ", applied_lsn "
      << call.applied_lsn << "}";
}

// A real log in a fresh directory: its records are numbered from 1 in
// queue order, so the k-th entry with a record has LSN k.
class GroupCommitTest : public ::testing::Test {
 protected:
  GroupCommitTest() : metrics_(registry_) {
    wal::ReplayReport report;
    EXPECT_TRUE(wal::BatchLog::Open(dir_.path(), {}, &log_).ok());
    EXPECT_TRUE(log_->Replay(
                        0, false, [](std::uint64_t, std::string_view) {}, &report)
                    .ok());
  }

  void Start(GroupCommit::AfterGroup after_group = nullptr, GroupCommitOptions options = {}) {
    commit_ = std::make_unique<GroupCommit>(*log_, metrics_, options, std::move(after_group));
    commit_->Start();
  }

  // Queues an entry whose on_durable runs `first`, then logs the call.
  bool Enqueue(int id, std::string record, std::function<void()> first = nullptr) {
    const bool has_record = !record.empty();
    return commit_->Enqueue(
        {.record = std::move(record), .on_durable = [this, id, has_record, first](bool durable) {
           if (first) first();
           std::lock_guard lock(calls_mutex_);
           calls_.push_back({id, durable, commit_->applied_lsn()});
           if (durable && has_record) ++records_applied_;
         }});
  }

  bool WaitForCall(int id) {
    return Eventually([&] {
      std::lock_guard lock(calls_mutex_);
      return std::any_of(calls_.begin(), calls_.end(), [&](const Call& c) { return c.id == id; });
    });
  }

  std::vector<Call> Calls() {
    std::lock_guard lock(calls_mutex_);
    return calls_;
  }

  std::uint64_t RecordsApplied() {
    std::lock_guard lock(calls_mutex_);
    return records_applied_;
  }

  // What the writer has appended, read from the directory so as not to
  // touch the log it owns.
  std::uintmax_t LogBytes() const {
    std::uintmax_t bytes = 0;
    for (const auto& file : std::filesystem::directory_iterator(dir_.path())) {
      bytes += file.file_size();
    }
    return bytes;
  }

  // Reopens the fixture's log with `faults` under its files.
  void UseFaultyLog(const std::shared_ptr<wal::FileFaults>& faults) {
    log_.reset();
    ASSERT_TRUE(wal::BatchLog::Open(dir_.path(), wal::WithFaults({}, faults), &log_).ok());
    wal::ReplayReport report;
    ASSERT_TRUE(log_->Replay(
                        0, false, [](std::uint64_t, std::string_view) {}, &report)
                    .ok());
  }

  // What a restart would replay, by LSN, probe records included as "".
  std::map<std::uint64_t, std::string> ReplayAfterStop() {
    std::unique_ptr<wal::BatchLog> log;
    EXPECT_TRUE(wal::BatchLog::Open(dir_.path(), {}, &log).ok());
    std::map<std::uint64_t, std::string> replayed;
    wal::ReplayReport report;
    EXPECT_TRUE(log->Replay(
                       0, false,
                       [&](std::uint64_t lsn, std::string_view payload) {
                         replayed.emplace(lsn, std::string(payload));
                       },
                       &report)
                    .ok());
    EXPECT_TRUE(report.damage.empty());
    return replayed;
  }

  // A batch is acked, the next one's write fails as `inject` says, the
  // source retries it once the log is healthy again: it is acked and
  // replayed exactly once, and nothing of the failed write comes back.
  void CheckRefusedBatchIsAppliedOnceAfterRetry(
      const std::function<void(wal::FileFaults&)>& inject) {
    auto faults = std::make_shared<wal::FileFaults>();
    UseFaultyLog(faults);
    GroupCommitOptions options;
    options.min_free_bytes = 0;
    options.retry_interval = std::chrono::milliseconds(5);
    Start(nullptr, options);
    ASSERT_TRUE(Enqueue(1, "batch 1"));
    ASSERT_TRUE(WaitForCall(1));
    {
      std::lock_guard lock(faults->mutex);
      inject(*faults);
    }
    ASSERT_TRUE(Enqueue(2, "batch 2"));
    ASSERT_TRUE(WaitForCall(2));
    ASSERT_TRUE(Eventually([&] { return commit_->healthy(); }));
    ASSERT_TRUE(Enqueue(3, "batch 2"));  // the source's retry
    ASSERT_TRUE(WaitForCall(3));
    commit_->Stop();

    // LSN 2 went to the failed write, then, rolled back, to the probe.
    EXPECT_EQ(Calls(), (std::vector<Call>{{1, true, 1}, {2, false, 1}, {3, true, 3}}));
    EXPECT_EQ(ReplayAfterStop(),
              (std::map<std::uint64_t, std::string>{{1, "batch 1"}, {2, ""}, {3, "batch 2"}}));
  }

  TempDir dir_;
  prometheus::Registry registry_;
  metrics::WalMetrics metrics_;
  std::unique_ptr<wal::BatchLog> log_;
  std::mutex calls_mutex_;
  std::vector<Call> calls_;
  std::uint64_t records_applied_ = 0;  // entries with a record called durable
  std::unique_ptr<GroupCommit> commit_;
};

TEST_F(GroupCommitTest, CallbacksRunInQueueOrderAcrossGroupsFromManyThreads) {
  int groups = 0;
  Start([&] {
    ++groups;
    // The group's last record, though the writer may have appended more.
    EXPECT_EQ(commit_->applied_lsn(), RecordsApplied());
  });
  constexpr int kThreads = 4;
  constexpr int kPerThread = 300;
  std::mutex queue_mutex;
  std::vector<int> queued;  // in queue order: Enqueue runs under queue_mutex
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int id = t * kPerThread + i;
        {
          std::lock_guard lock(queue_mutex);
          // Every seventh entry has no record and only waits for those before it.
          EXPECT_TRUE(Enqueue(id, id % 7 == 0 ? "" : "record " + std::to_string(id)));
          queued.push_back(id);
        }
        // Waiting for an entry now and then makes the ones after it form new groups.
        if (i % 30 == 29) {
          EXPECT_TRUE(WaitForCall(id));
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  commit_->Stop();

  std::vector<Call> expected;
  std::uint64_t lsn = 0;
  for (const int id : queued) {
    if (id % 7 != 0) ++lsn;
    expected.push_back({id, true, lsn});
  }
  EXPECT_EQ(Calls(), expected);
  EXPECT_GE(groups, kPerThread / 30);
}

// The callbacks in these tests use the test's locals: from Start to Stop
// they check with EXPECT, so a failure still reaches Stop.

TEST_F(GroupCommitTest, EntryWithoutRecordIsCalledAfterEverythingBeforeIt) {
  std::promise<void> applying;
  std::promise<void> queued;
  Start();
  EXPECT_TRUE(Enqueue(1, "a", [&] {
    applying.set_value();
    EXPECT_EQ(queued.get_future().wait_for(kTimeout), std::future_status::ready);
  }));
  EXPECT_EQ(applying.get_future().wait_for(kTimeout), std::future_status::ready);
  // Queued while the entry before is being applied, so in a later group.
  EXPECT_TRUE(Enqueue(2, ""));
  EXPECT_TRUE(Enqueue(3, "b"));
  queued.set_value();
  commit_->Stop();
  EXPECT_EQ(Calls(), (std::vector<Call>{{1, true, 1}, {2, true, 1}, {3, true, 2}}));
}

TEST_F(GroupCommitTest, NextGroupIsWrittenWhileOneIsApplied) {
  std::vector<std::uint64_t> after_group;
  Start([&] { after_group.push_back(commit_->applied_lsn()); });
  std::promise<void> applying;
  bool next_written = false;
  EXPECT_TRUE(Enqueue(1, "a", [&] {
    const std::uintmax_t bytes = LogBytes();
    applying.set_value();
    // Holds a's group in the apply thread until b's record is in the log.
    next_written = Eventually([&] { return LogBytes() > bytes; });
  }));
  EXPECT_EQ(applying.get_future().wait_for(kTimeout), std::future_status::ready);
  EXPECT_TRUE(Enqueue(2, "b"));
  commit_->Stop();
  EXPECT_TRUE(next_written) << "b was not appended while a was being applied";
  EXPECT_EQ(Calls(), (std::vector<Call>{{1, true, 1}, {2, true, 2}}));
  // When a's group was done the log held b too; a snapshot then covers a only.
  EXPECT_EQ(after_group, (std::vector<std::uint64_t>{1, 2}));
}

TEST_F(GroupCommitTest, StopAppliesEverythingQueued) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Start();
  ASSERT_TRUE(Enqueue(0, "first", [released] {
    EXPECT_EQ(released.wait_for(kTimeout), std::future_status::ready);
  }));
  constexpr int kQueued = 100;
  for (int id = 1; id <= kQueued; ++id) ASSERT_TRUE(Enqueue(id, "record " + std::to_string(id)));
  std::thread stopper([&] { commit_->Stop(); });
  // Stop has begun once entries are refused (the probes taken before that
  // are no-ops); the entries above are still queued behind the first.
  EXPECT_TRUE(
      Eventually([&] { return !commit_->Enqueue({.record = "", .on_durable = [](bool) {}}); }));
  release.set_value();
  stopper.join();

  std::vector<Call> expected;
  for (int id = 0; id <= kQueued; ++id) {
    expected.push_back({id, true, static_cast<std::uint64_t>(id) + 1});
  }
  EXPECT_EQ(Calls(), expected);
  EXPECT_FALSE(Enqueue(kQueued + 1, "late"));
}

// The reserve is looked at when group commit starts, not only when the
// first batch comes: /readyz must not say ready on a disk that is too full.
TEST_F(GroupCommitTest, DiskBelowTheReserveAtStartIsUnhealthyBeforeAnyEntry) {
  GroupCommitOptions options;
  options.min_free_bytes = std::numeric_limits<std::uint64_t>::max();
  Start(nullptr, options);
  EXPECT_FALSE(commit_->healthy());
  EXPECT_NE(commit_->last_error().find("below the reserve"), std::string::npos)
      << commit_->last_error();
  EXPECT_NE(commit_->last_error().find("wal.min_free_bytes"), std::string::npos);
  EXPECT_FALSE(Enqueue(1, "refused"));
  commit_->Stop();
  EXPECT_TRUE(Calls().empty());
}

TEST_F(GroupCommitTest, BatchRefusedForAFailedWriteIsAppliedOnceWhenRetried) {
  CheckRefusedBatchIsAppliedOnceAfterRetry([](wal::FileFaults& faults) {
    faults.appends_before_failure = 0;
    faults.partial_bytes = 10;
  });
}

TEST_F(GroupCommitTest, BatchRefusedForAFailedFsyncIsAppliedOnceWhenRetried) {
  CheckRefusedBatchIsAppliedOnceAfterRetry(
      [](wal::FileFaults& faults) { faults.syncs_before_failure = 0; });
}

// The log takes nothing while the failed write cannot be cut off; the writer
// keeps trying and resumes once it can.
TEST_F(GroupCommitTest, FailedRollbackIsRetriedBeforeBatchesAreTakenAgain) {
  CheckRefusedBatchIsAppliedOnceAfterRetry([](wal::FileFaults& faults) {
    faults.syncs_before_failure = 0;
    faults.truncate_failures = 3;
  });
}

}  // namespace
}  // namespace atmwatch::ingest
