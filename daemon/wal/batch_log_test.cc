#include "wal/batch_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "wal/test_temp_dir.h"

namespace atmwatch::wal {
namespace {

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
  TestTempDir dir;
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
  TestTempDir dir;
  Write(dir.path(), 5);
  auto log = OpenLog(dir.path());
  ReplayReport report;
  const Replayed seen = ReplayAll(*log, &report, /*after=*/3);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen.begin()->first, 4u);
  EXPECT_EQ(log->last_lsn(), 5u);
}

TEST(BatchLogTest, AppendingAfterReplayContinuesTheNumbering) {
  TestTempDir dir;
  Write(dir.path(), 2);
  Write(dir.path(), 2);
  auto log = OpenLog(dir.path());
  ReplayReport report;
  const Replayed seen = ReplayAll(*log, &report);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen.rbegin()->first, 4u);
}

TEST(BatchLogTest, TornTailIsCutAndTheLogGoesOn) {
  TestTempDir dir;
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
  TestTempDir dir;
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
  TestTempDir dir;
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
  TestTempDir dir;
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

}  // namespace
}  // namespace atmwatch::wal
