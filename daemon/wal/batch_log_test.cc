#include "wal/batch_log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <vector>

#include "testing/temp_dir.h"
#include "wal/faulty_file.h"
#include "wal/wal_format.h"

namespace atmwatch::wal {
namespace {

using atmwatch::testing::TempDir;

using Replayed = std::map<std::uint64_t, std::string>;

std::unique_ptr<BatchLog> OpenLog(const std::string& dir, std::uint64_t segment_bytes = 1 << 20) {
  std::unique_ptr<BatchLog> log;
  SegmentDirOptions options;
  options.max_segment_bytes = segment_bytes;
  EXPECT_TRUE(BatchLog::Open(dir, options, &log).ok());
  return log;
}

Replayed ReplayAll(BatchLog& log, ReplayReport* report, std::uint64_t after = 0,
                   bool strict = false, Status* status = nullptr) {
  Replayed seen;
  Status result = log.Replay(
      after, strict,
      [&](std::uint64_t lsn, std::string_view payload) { seen.emplace(lsn, std::string(payload)); },
      report);
  if (status != nullptr)
    *status = result;
  else
    EXPECT_TRUE(result.ok()) << result.message();
  return seen;
}

std::string Payload(int i, std::size_t size = 100) {
  return std::string(size, static_cast<char>('a' + i % 26));
}

void Write(const std::string& dir, int records, std::size_t size = 100) {
  auto log = OpenLog(dir);
  ReplayReport report;
  ReplayAll(*log, &report);
  for (int i = 0; i < records; ++i) ASSERT_TRUE(log->Append(Payload(i, size)).ok());
  ASSERT_TRUE(log->Commit(/*sync=*/true).ok());
}

std::string OnlySegment(const std::string& dir) {
  for (const auto& entry : std::filesystem::directory_iterator(dir)) return entry.path().string();
  return "";
}

TEST(BatchLogTest, RecordsComeBackWithTheirNumbers) {
  TempDir dir;
  Write(dir.path(), 3);
  auto log = OpenLog(dir.path());
  ReplayReport report;
  const Replayed seen = ReplayAll(*log, &report);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen.at(1), Payload(0));
  EXPECT_EQ(seen.at(3), Payload(2));
  EXPECT_EQ(log->last_lsn(), 3u);
  EXPECT_EQ(report.records, 3u);
  EXPECT_TRUE(report.damage.empty());
  EXPECT_EQ(report.torn_tail_bytes, 0u);
}

TEST(BatchLogTest, RecordsCoveredByASnapshotAreSkipped) {
  TempDir dir;
  Write(dir.path(), 5);
  auto log = OpenLog(dir.path());
  ReplayReport report;
  const Replayed seen = ReplayAll(*log, &report, /*after=*/3);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen.begin()->first, 4u);
  EXPECT_EQ(log->last_lsn(), 5u);
}

TEST(BatchLogTest, AppendingAfterReplayContinuesTheNumbering) {
  TempDir dir;
  Write(dir.path(), 2);
  Write(dir.path(), 2);
  auto log = OpenLog(dir.path());
  ReplayReport report;
  const Replayed seen = ReplayAll(*log, &report);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen.rbegin()->first, 4u);
}

TEST(BatchLogTest, TornTailIsCutAndTheLogGoesOn) {
  TempDir dir;
  Write(dir.path(), 3);
  const std::string segment = OnlySegment(dir.path());
  std::filesystem::resize_file(segment, std::filesystem::file_size(segment) - 10);
  {
    auto log = OpenLog(dir.path());
    ReplayReport report;
    const Replayed seen = ReplayAll(*log, &report);
    EXPECT_EQ(seen.size(), 2u);
    EXPECT_GT(report.torn_tail_bytes, 0u);
    EXPECT_TRUE(report.damage.empty()) << report.damage.front();
    ASSERT_TRUE(log->Append("after the crash").ok());
    ASSERT_TRUE(log->Commit(/*sync=*/true).ok());
  }
  auto log = OpenLog(dir.path());
  ReplayReport report;
  const Replayed seen = ReplayAll(*log, &report);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen.rbegin()->second, "after the crash");
  EXPECT_EQ(report.torn_tail_bytes, 0u);
}

// Records of 20 KB each sit in different blocks, so damage to one leaves the
// others readable.
TEST(BatchLogTest, DamageInTheMiddleIsReportedWithFileAndOffsetAndSkipped) {
  TempDir dir;
  Write(dir.path(), 6, 20000);
  const std::string segment = OnlySegment(dir.path());
  {
    std::fstream file(segment, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(20);
    file.put('\x7f');
  }
  auto log = OpenLog(dir.path());
  ReplayReport report;
  const Replayed seen = ReplayAll(*log, &report);
  EXPECT_FALSE(seen.count(1));
  EXPECT_TRUE(seen.count(6));
  EXPECT_GE(seen.size(), 4u);
  ASSERT_FALSE(report.damage.empty());
  EXPECT_NE(report.damage.front().find("wal-00000000000000000001.log:0: checksum mismatch"),
            std::string::npos)
      << report.damage.front();
  EXPECT_GT(report.corrupt_bytes, 0u);
}

TEST(BatchLogTest, StrictReplayRefusesDamageNamingTheFile) {
  TempDir dir;
  Write(dir.path(), 6, 20000);
  const std::string segment = OnlySegment(dir.path());
  {
    std::fstream file(segment, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(20);
    file.put('\x7f');
  }
  auto log = OpenLog(dir.path());
  ReplayReport report;
  Status status;
  ReplayAll(*log, &report, 0, /*strict=*/true, &status);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find(segment + ":0: checksum mismatch"), std::string::npos)
      << status.message();
}

TEST(BatchLogTest, SegmentsCoveredByASnapshotAreDropped) {
  TempDir dir;
  auto log = OpenLog(dir.path(), /*segment_bytes=*/1000);
  ReplayReport report;
  ReplayAll(*log, &report);
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(log->Append(Payload(i, 300)).ok());
  ASSERT_TRUE(log->Commit(/*sync=*/true).ok());
  const std::size_t before = log->segment_count();
  ASSERT_GT(before, 3u);
  ASSERT_TRUE(log->DropCoveredBy(20).ok());
  EXPECT_LT(log->segment_count(), before);

  auto reopened = OpenLog(dir.path(), 1000);
  ReplayReport after;
  const Replayed seen = ReplayAll(*reopened, &after, 20);
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(seen.begin()->first, 21u);
  EXPECT_EQ(reopened->last_lsn(), 30u);
}

// The crash and write-error matrix: after each fault, exactly the committed
// records come back, numbered without gaps, and the log goes on.

std::unique_ptr<BatchLog> OpenFaultyLog(const std::string& dir,
                                        const std::shared_ptr<FileFaults>& faults,
                                        std::uint64_t segment_bytes = 1 << 20) {
  SegmentDirOptions options;
  options.max_segment_bytes = segment_bytes;
  std::unique_ptr<BatchLog> log;
  EXPECT_TRUE(BatchLog::Open(dir, WithFaults(options, faults), &log).ok());
  ReplayReport report;
  ReplayAll(*log, &report);
  return log;
}

// Appends payloads first..last-1 as one group and commits it with fsync.
Status AppendGroup(BatchLog& log, int first, int last) {
  for (int i = first; i < last; ++i) {
    if (Status status = log.Append(Payload(i)); !status.ok()) return status;
  }
  return log.Commit(/*sync=*/true);
}

// Replays the directory afresh: what a restart would see.
Replayed ReplayAfterRestart(const std::string& dir, ReplayReport* report) {
  auto log = OpenLog(dir);
  return ReplayAll(*log, report);
}

Replayed Expected(int records) {
  Replayed expected;
  for (int i = 0; i < records; ++i) expected.emplace(i + 1, Payload(i));
  return expected;
}

TEST(BatchLogTest, FailedAppendLeavesNothingOfItsGroup) {
  TempDir dir;
  auto faults = std::make_shared<FileFaults>();
  {
    auto log = OpenFaultyLog(dir.path(), faults);
    ASSERT_TRUE(AppendGroup(*log, 0, 10).ok());
    // The group's third append fails after 30 of its bytes reached the file,
    // behind two whole records.
    faults->appends_before_failure = 2;
    faults->partial_bytes = 30;
    EXPECT_FALSE(AppendGroup(*log, 10, 15).ok());
    EXPECT_FALSE(log->Append(Payload(99)).ok()) << "the log takes writes before its rollback";
    ASSERT_TRUE(log->Rollback().ok());
    EXPECT_EQ(log->last_lsn(), 10u);
  }
  ReplayReport report;
  EXPECT_EQ(ReplayAfterRestart(dir.path(), &report), Expected(10));
  EXPECT_EQ(report.torn_tail_bytes, 0u);
  EXPECT_TRUE(report.damage.empty());
}

// The fsync failed with the whole group in the file: it must not count.
TEST(BatchLogTest, FailedSyncLeavesNothingOfItsGroup) {
  TempDir dir;
  auto faults = std::make_shared<FileFaults>();
  {
    auto log = OpenFaultyLog(dir.path(), faults);
    ASSERT_TRUE(AppendGroup(*log, 0, 10).ok());
    faults->syncs_before_failure = 0;
    EXPECT_FALSE(AppendGroup(*log, 10, 15).ok());
    EXPECT_EQ(faults->failed_syncs, 1);
    EXPECT_FALSE(log->Commit(/*sync=*/true).ok()) << "a sync after a failed one is not trusted";
    ASSERT_TRUE(log->Rollback().ok());
  }
  ReplayReport report;
  EXPECT_EQ(ReplayAfterRestart(dir.path(), &report), Expected(10));
  EXPECT_EQ(report.torn_tail_bytes, 0u);
}

TEST(BatchLogTest, RecordsAfterARollbackTakeTheFailedGroupsNumbers) {
  TempDir dir;
  auto faults = std::make_shared<FileFaults>();
  {
    auto log = OpenFaultyLog(dir.path(), faults);
    ASSERT_TRUE(AppendGroup(*log, 0, 10).ok());
    faults->syncs_before_failure = 0;
    EXPECT_FALSE(AppendGroup(*log, 50, 55).ok());
    ASSERT_TRUE(log->Rollback().ok());
    ASSERT_TRUE(AppendGroup(*log, 10, 20).ok());
    EXPECT_EQ(log->last_lsn(), 20u);
  }
  ReplayReport report;
  EXPECT_EQ(ReplayAfterRestart(dir.path(), &report), Expected(20));
}

TEST(BatchLogTest, FailedWriteThatStartedASegmentRemovesIt) {
  TempDir dir;
  auto faults = std::make_shared<FileFaults>();
  {
    // 116-byte records, two per 200-byte segment.
    auto log = OpenFaultyLog(dir.path(), faults, /*segment_bytes=*/200);
    ASSERT_TRUE(AppendGroup(*log, 0, 4).ok());
    ASSERT_EQ(log->segment_count(), 2u);
    // The group fills a third segment and fails in a fourth.
    faults->appends_before_failure = 3;
    EXPECT_FALSE(AppendGroup(*log, 4, 8).ok());
    ASSERT_EQ(log->segment_count(), 4u);
    ASSERT_TRUE(log->Rollback().ok());
    EXPECT_EQ(log->segment_count(), 2u);
    ASSERT_TRUE(AppendGroup(*log, 4, 6).ok());
  }
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    files.push_back(entry.path().filename());
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"wal-00000000000000000001.log",
                                             "wal-00000000000000000003.log",
                                             "wal-00000000000000000005.log"}));
  ReplayReport report;
  EXPECT_EQ(ReplayAfterRestart(dir.path(), &report), Expected(6));
}

// Until the failed group is cut off, the log takes nothing.
TEST(BatchLogTest, FailedCutKeepsTheLogRefusingUntilARollbackSucceeds) {
  TempDir dir;
  auto faults = std::make_shared<FileFaults>();
  {
    auto log = OpenFaultyLog(dir.path(), faults);
    ASSERT_TRUE(AppendGroup(*log, 0, 10).ok());
    faults->syncs_before_failure = 0;
    faults->truncate_failures = 2;
    EXPECT_FALSE(AppendGroup(*log, 10, 15).ok());
    EXPECT_FALSE(log->Rollback().ok());
    EXPECT_FALSE(log->Append(Payload(99)).ok());
    EXPECT_FALSE(log->Rollback().ok());
    EXPECT_EQ(faults->failed_truncates, 2);
    ASSERT_TRUE(log->Rollback().ok());
    ASSERT_TRUE(AppendGroup(*log, 10, 12).ok());
  }
  ReplayReport report;
  EXPECT_EQ(ReplayAfterRestart(dir.path(), &report), Expected(12));
}

// Without fsync a group is acknowledged at Commit; a later failure must not
// take it away.
TEST(BatchLogTest, RollbackKeepsGroupsCommittedWithoutSync) {
  TempDir dir;
  auto faults = std::make_shared<FileFaults>();
  {
    auto log = OpenFaultyLog(dir.path(), faults);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(log->Append(Payload(i)).ok());
    ASSERT_TRUE(log->Commit(/*sync=*/false).ok());
    faults->appends_before_failure = 1;
    ASSERT_TRUE(log->Append(Payload(10)).ok());
    EXPECT_FALSE(log->Append(Payload(11)).ok());
    ASSERT_TRUE(log->Rollback().ok());
  }
  ReplayReport report;
  EXPECT_EQ(ReplayAfterRestart(dir.path(), &report), Expected(10));
}

TEST(BatchLogTest, RollbackWithNothingAppendedKeepsEverything) {
  TempDir dir;
  auto faults = std::make_shared<FileFaults>();
  {
    auto log = OpenFaultyLog(dir.path(), faults);
    ASSERT_TRUE(AppendGroup(*log, 0, 3).ok());
    ASSERT_TRUE(log->Rollback().ok());
    ASSERT_TRUE(AppendGroup(*log, 3, 5).ok());
  }
  ReplayReport report;
  EXPECT_EQ(ReplayAfterRestart(dir.path(), &report), Expected(5));
}

// Damage in the newest segment's last block with acknowledged records
// after it: reported, those records replayed, nothing cut.
void FlipLastBlockDamage(const std::string& segment, std::uint64_t offset) {
  std::fstream file(segment, std::ios::in | std::ios::out | std::ios::binary);
  for (int k = 0; k < 4; ++k) {
    file.seekg(static_cast<std::streamoff>(offset + k));
    char byte = 0;
    file.get(byte);
    file.seekp(static_cast<std::streamoff>(offset + k));
    file.put(static_cast<char>(byte ^ 0x5a));
  }
}

TEST(BatchLogTest, DamageInTheLastBlockWithRecordsAfterItIsDamageNotATornTail) {
  TempDir dir;
  Write(dir.path(), 50, 1000);  // 1015-byte records; the last block holds 17
  const std::string segment = OnlySegment(dir.path());
  const std::uintmax_t size = std::filesystem::file_size(segment);
  // About 2,000 bytes into the last block, in LSN 35 of 50.
  FlipLastBlockDamage(segment, kBlockSize + 2000);
  auto log = OpenLog(dir.path());
  ReplayReport report;
  const Replayed seen = ReplayAll(*log, &report);
  EXPECT_EQ(seen.size(), 49u);
  EXPECT_FALSE(seen.count(35));
  EXPECT_TRUE(seen.count(50));
  ASSERT_EQ(report.damage.size(), 1u);
  EXPECT_NE(report.damage.front().find("checksum mismatch"), std::string::npos)
      << report.damage.front();
  EXPECT_EQ(report.corrupt_bytes, 1015u);
  EXPECT_EQ(report.torn_tail_bytes, 0u);
  EXPECT_EQ(std::filesystem::file_size(segment), size);
}

TEST(BatchLogTest, StrictReplayRefusesDamageInTheLastBlock) {
  TempDir dir;
  Write(dir.path(), 50, 1000);
  const std::string segment = OnlySegment(dir.path());
  FlipLastBlockDamage(segment, kBlockSize + 2000);
  auto log = OpenLog(dir.path());
  ReplayReport report;
  Status status;
  ReplayAll(*log, &report, 0, /*strict=*/true, &status);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("checksum mismatch; refusing to start (wal.strict)"),
            std::string::npos)
      << status.message();
}

// A crash after the file grew but before its pages were written.
TEST(BatchLogTest, ZeroFilledTailIsCutSilently) {
  TempDir dir;
  Write(dir.path(), 5);
  const std::string segment = OnlySegment(dir.path());
  const std::uintmax_t size = std::filesystem::file_size(segment);
  std::filesystem::resize_file(segment, size + 5000);
  {
    auto log = OpenLog(dir.path());
    ReplayReport report;
    EXPECT_EQ(ReplayAll(*log, &report), Expected(5));
    EXPECT_TRUE(report.damage.empty());
    EXPECT_EQ(report.torn_tail_bytes, 5000u);
    EXPECT_EQ(std::filesystem::file_size(segment), size);
    ASSERT_TRUE(AppendGroup(*log, 5, 7).ok());
  }
  ReplayReport report;
  EXPECT_EQ(ReplayAfterRestart(dir.path(), &report), Expected(7));
}

// A torn tail of each shape: cut silently, and the records before it stay.
TEST(BatchLogTest, EachShapeOfTornTailIsCutSilently) {
  struct Shape {
    const char* name;
    std::size_t payload;
    std::uintmax_t cut;  // bytes taken off the end
  };
  for (const Shape& shape :
       {Shape{"partial header", 100, 100 + 8 + kHeaderSize - 3}, Shape{"partial payload", 100, 40},
        Shape{"unfinished fragmented record", 40000, 100}}) {
    SCOPED_TRACE(shape.name);
    TempDir dir;
    Write(dir.path(), 3);
    {
      auto log = OpenLog(dir.path());
      ReplayReport report;
      ReplayAll(*log, &report);
      ASSERT_TRUE(log->Append(std::string(shape.payload, 'z')).ok());
      ASSERT_TRUE(log->Commit(/*sync=*/true).ok());
    }
    const std::string segment = OnlySegment(dir.path());
    std::filesystem::resize_file(segment, std::filesystem::file_size(segment) - shape.cut);
    ReplayReport report;
    EXPECT_EQ(ReplayAfterRestart(dir.path(), &report), Expected(3));
    EXPECT_TRUE(report.damage.empty()) << report.damage.front();
    EXPECT_GT(report.torn_tail_bytes, 0u);
  }
}

}  // namespace
}  // namespace atmwatch::wal
