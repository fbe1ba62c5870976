#include "wal/segment_dir.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "testing/temp_dir.h"
#include "wal/faulty_file.h"
#include "wal/file.h"
#include "wal/log_reader.h"

namespace atmwatch::wal {
namespace {

using atmwatch::testing::TempDir;

class CountingReporter : public LogReader::Reporter {
 public:
  void Corruption(size_t, std::string_view, uint64_t) override { ++reports; }
  int reports = 0;
};

struct Replay {
  std::vector<std::string> records;
  bool torn_tail = false;
  uint64_t last_record_end = 0;
  int reports = 0;
};

Replay ReplaySegment(const Segment& segment) {
  std::unique_ptr<PosixSequentialFile> file;
  EXPECT_TRUE(PosixSequentialFile::Open(segment.path, &file).ok());
  CountingReporter reporter;
  LogReader reader(file.get(), &reporter);
  Replay replay;
  std::string record;
  uint64_t offset = 0;
  while (reader.ReadRecord(&record, &offset)) replay.records.push_back(record);
  EXPECT_TRUE(reader.status().ok());
  replay.torn_tail = reader.torn_tail();
  replay.last_record_end = reader.last_record_end();
  replay.reports = reporter.reports;
  return replay;
}

std::vector<uint64_t> FirstIndexes(const SegmentDir& wal) {
  std::vector<uint64_t> indexes;
  for (const Segment& segment : wal.segments()) indexes.push_back(segment.first_index);
  return indexes;
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::unique_ptr<SegmentDir> OpenOrDie(const std::string& dir, uint64_t max_segment_bytes) {
  std::unique_ptr<SegmentDir> wal;
  SegmentDirOptions options;
  options.max_segment_bytes = max_segment_bytes;
  const Status status = SegmentDir::Open(dir, options, &wal);
  EXPECT_TRUE(status.ok()) << status.message();
  return wal;
}

// A 60-byte payload makes a 67-byte record, so with 100-byte segments each
// segment takes two records.
std::string Payload(uint64_t index) {
  std::string payload = "batch " + std::to_string(index) + " ";
  payload.resize(60, '.');
  return payload;
}

TEST(SegmentDirTest, FileNamesHoldTwentyDigits) {
  EXPECT_EQ("wal-00000000000000000042.log", SegmentDir::SegmentFileName(42));
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ("wal-18446744073709551615.log", SegmentDir::SegmentFileName(max));
  uint64_t index = 0;
  ASSERT_TRUE(SegmentDir::ParseSegmentFileName(SegmentDir::SegmentFileName(max), &index));
  EXPECT_EQ(max, index);
  ASSERT_TRUE(SegmentDir::ParseSegmentFileName("wal-00000000000000000042.log", &index));
  EXPECT_EQ(42u, index);
}

TEST(SegmentDirTest, ParseRejectsOtherNames) {
  uint64_t index = 0;
  for (const char* name :
       {"wal-42.log", "wal-0000000000000000004x.log", "wal-00000000000000000042.log.tmp",
        "xal-00000000000000000042.log", "wal-00000000000000000042.lox",
        "wal-+0000000000000000042.log", "wal-99999999999999999999.log", ""}) {
    EXPECT_FALSE(SegmentDir::ParseSegmentFileName(name, &index)) << name;
  }
}

TEST(SegmentDirTest, OpenCreatesMissingDirectory) {
  TempDir tmp;
  const std::string dir = tmp.Join("data/wal");
  auto wal = OpenOrDie(dir, 100);
  ASSERT_TRUE(wal);
  EXPECT_TRUE(std::filesystem::is_directory(dir));
  EXPECT_TRUE(wal->segments().empty());
}

TEST(SegmentDirTest, OpenFailsWhenPathIsAFile) {
  TempDir tmp;
  const std::string path = tmp.Join("file");
  std::ofstream(path) << "x";
  std::unique_ptr<SegmentDir> wal;
  const Status status = SegmentDir::Open(path, SegmentDirOptions(), &wal);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(std::string::npos, status.message().find(path)) << status.message();
}

TEST(SegmentDirTest, AppendBeforeStartAppendingFails) {
  TempDir tmp;
  auto wal = OpenOrDie(tmp.path(), 100);
  EXPECT_FALSE(wal->Append(1, "x").ok());
  EXPECT_TRUE(wal->StartAppending(0).ok());
  EXPECT_TRUE(wal->Append(1, "x").ok());
}

TEST(SegmentDirTest, FirstAppendCreatesSegmentNamedAfterIndex) {
  TempDir tmp;
  auto wal = OpenOrDie(tmp.path(), 100);
  ASSERT_TRUE(wal->StartAppending(0).ok());
  ASSERT_TRUE(wal->Append(5, Payload(5)).ok());
  ASSERT_TRUE(wal->Commit(/*sync=*/true).ok());
  EXPECT_EQ(std::vector<std::string>{"wal-00000000000000000005.log"}, FilesIn(tmp.path()));
  ASSERT_EQ(1u, wal->segments().size());
  EXPECT_EQ(std::vector<std::string>{Payload(5)}, ReplaySegment(wal->segments()[0]).records);
}

TEST(SegmentDirTest, ListsSegmentsInOrderAndIgnoresOtherFiles) {
  TempDir tmp;
  for (const char* name : {"wal-00000000000000000300.log", "wal-00000000000000000001.log",
                           "wal-00000000000000000020.log", "notes.txt", "wal-7.log"}) {
    std::ofstream(tmp.Join(name));
  }
  auto wal = OpenOrDie(tmp.path(), 100);
  EXPECT_EQ((std::vector<uint64_t>{1, 20, 300}), FirstIndexes(*wal));
  EXPECT_EQ(tmp.Join("wal-00000000000000000001.log"), wal->segments()[0].path);
}

TEST(SegmentDirTest, RollsToNewSegmentWhenFull) {
  TempDir tmp;
  auto wal = OpenOrDie(tmp.path(), 100);
  ASSERT_TRUE(wal->StartAppending(0).ok());
  for (uint64_t index = 1; index <= 5; ++index)
    ASSERT_TRUE(wal->Append(index, Payload(index)).ok());
  ASSERT_TRUE(wal->Commit(/*sync=*/true).ok());
  ASSERT_EQ((std::vector<uint64_t>{1, 3, 5}), FirstIndexes(*wal));
  EXPECT_EQ((std::vector<std::string>{Payload(1), Payload(2)}),
            ReplaySegment(wal->segments()[0]).records);
  EXPECT_EQ((std::vector<std::string>{Payload(3), Payload(4)}),
            ReplaySegment(wal->segments()[1]).records);
  EXPECT_EQ((std::vector<std::string>{Payload(5)}), ReplaySegment(wal->segments()[2]).records);
}

TEST(SegmentDirTest, NewSegmentIndexMustBeAboveNewest) {
  TempDir tmp;
  auto wal = OpenOrDie(tmp.path(), 1);  // every record starts a segment
  ASSERT_TRUE(wal->StartAppending(0).ok());
  ASSERT_TRUE(wal->Append(10, "a").ok());
  const Status status = wal->Append(10, "b");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(std::string::npos, status.message().find("not above")) << status.message();
  EXPECT_TRUE(wal->Append(11, "b").ok()) << "a refused index is not an I/O failure";
  EXPECT_EQ((std::vector<uint64_t>{10, 11}), FirstIndexes(*wal));
}

TEST(SegmentDirTest, IndexBelowNewestSegmentIsRefused) {
  TempDir tmp;
  auto wal = OpenOrDie(tmp.path(), 1000);
  ASSERT_TRUE(wal->StartAppending(0).ok());
  ASSERT_TRUE(wal->Append(10, "a").ok());
  EXPECT_TRUE(wal->Append(10, "same index, same segment").ok());
  EXPECT_FALSE(wal->Append(9, "b").ok());
  EXPECT_TRUE(wal->Append(11, "c").ok());
}

TEST(SegmentDirTest, ResumesNewestSegmentAfterReopen) {
  TempDir tmp;
  {
    auto wal = OpenOrDie(tmp.path(), 1000);
    ASSERT_TRUE(wal->StartAppending(0).ok());
    for (uint64_t index = 1; index <= 3; ++index)
      ASSERT_TRUE(wal->Append(index, Payload(index)).ok());
    ASSERT_TRUE(wal->Commit(/*sync=*/true).ok());
  }
  auto wal = OpenOrDie(tmp.path(), 1000);
  ASSERT_EQ(1u, wal->segments().size());
  const Replay before = ReplaySegment(wal->segments().back());
  EXPECT_FALSE(before.torn_tail);
  ASSERT_TRUE(wal->StartAppending(before.last_record_end).ok());
  ASSERT_TRUE(wal->Append(4, Payload(4)).ok());
  ASSERT_TRUE(wal->Commit(/*sync=*/true).ok());
  EXPECT_EQ((std::vector<std::string>{Payload(1), Payload(2), Payload(3), Payload(4)}),
            ReplaySegment(wal->segments().back()).records);
}

TEST(SegmentDirTest, StartAppendingCutsTornTail) {
  TempDir tmp;
  {
    auto wal = OpenOrDie(tmp.path(), 1000);
    ASSERT_TRUE(wal->StartAppending(0).ok());
    ASSERT_TRUE(wal->Append(1, Payload(1)).ok());
    ASSERT_TRUE(wal->Commit(/*sync=*/true).ok());
  }
  const std::string path = tmp.Join(SegmentDir::SegmentFileName(1));
  std::ofstream(path, std::ios::app) << "\x12\x34\x56\x78\x40";  // half a header
  auto wal = OpenOrDie(tmp.path(), 1000);
  const Replay before = ReplaySegment(wal->segments().back());
  ASSERT_TRUE(before.torn_tail);
  EXPECT_EQ(0, before.reports);
  ASSERT_TRUE(wal->StartAppending(before.last_record_end).ok());
  EXPECT_EQ(before.last_record_end, std::filesystem::file_size(path));
  ASSERT_TRUE(wal->Append(2, Payload(2)).ok());
  ASSERT_TRUE(wal->Commit(/*sync=*/true).ok());
  const Replay after = ReplaySegment(wal->segments().back());
  EXPECT_EQ((std::vector<std::string>{Payload(1), Payload(2)}), after.records);
  EXPECT_FALSE(after.torn_tail);
  EXPECT_EQ(0, after.reports);
}

TEST(SegmentDirTest, StartAppendingRejectsEndPastFile) {
  TempDir tmp;
  std::ofstream(tmp.Join(SegmentDir::SegmentFileName(1))) << "abc";
  auto wal = OpenOrDie(tmp.path(), 1000);
  const Status status = wal->StartAppending(4);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(std::string::npos, status.message().find("wal-00000000000000000001.log"));
}

TEST(SegmentDirTest, DeleteBelowRemovesOnlySegmentsWhollyBelow) {
  TempDir tmp;
  auto wal = OpenOrDie(tmp.path(), 100);
  ASSERT_TRUE(wal->StartAppending(0).ok());
  for (uint64_t index = 1; index <= 5; ++index)
    ASSERT_TRUE(wal->Append(index, Payload(index)).ok());
  ASSERT_TRUE(wal->Commit(/*sync=*/true).ok());
  ASSERT_EQ((std::vector<uint64_t>{1, 3, 5}), FirstIndexes(*wal));

  ASSERT_TRUE(wal->DeleteBelow(2).ok());  // segment 1 still holds index 2
  EXPECT_EQ((std::vector<uint64_t>{1, 3, 5}), FirstIndexes(*wal));

  ASSERT_TRUE(wal->DeleteBelow(3).ok());
  EXPECT_EQ((std::vector<uint64_t>{3, 5}), FirstIndexes(*wal));

  ASSERT_TRUE(wal->DeleteBelow(1000).ok());  // the newest segment always stays
  EXPECT_EQ((std::vector<uint64_t>{5}), FirstIndexes(*wal));
  EXPECT_EQ(std::vector<std::string>{"wal-00000000000000000005.log"}, FilesIn(tmp.path()));

  ASSERT_TRUE(wal->Append(6, Payload(6)).ok());
  ASSERT_TRUE(wal->Commit(/*sync=*/true).ok());
  EXPECT_EQ((std::vector<std::string>{Payload(5), Payload(6)}),
            ReplaySegment(wal->segments().back()).records);
}

// A snapshot between a failed write and its rollback must not delete the
// segment the rollback returns to.
TEST(SegmentDirTest, DeleteBelowKeepsTheCommittedSegmentWhileARollbackIsDue) {
  TempDir tmp;
  auto faults = std::make_shared<FileFaults>();
  SegmentDirOptions options;
  options.max_segment_bytes = 100;
  std::unique_ptr<SegmentDir> wal;
  ASSERT_TRUE(SegmentDir::Open(tmp.path(), WithFaults(options, faults), &wal).ok());
  ASSERT_TRUE(wal->StartAppending(0).ok());
  ASSERT_TRUE(wal->Append(1, Payload(1)).ok());
  ASSERT_TRUE(wal->Append(2, Payload(2)).ok());
  ASSERT_TRUE(wal->Commit(/*sync=*/true).ok());
  faults->appends_before_failure = 1;
  ASSERT_TRUE(wal->Append(3, Payload(3)).ok());  // starts segment 3
  ASSERT_FALSE(wal->Append(4, Payload(4)).ok());
  ASSERT_TRUE(wal->DeleteBelow(3).ok());
  EXPECT_EQ((std::vector<uint64_t>{1, 3}), FirstIndexes(*wal));
  ASSERT_TRUE(wal->Rollback().ok());
  EXPECT_EQ(std::vector<std::string>{"wal-00000000000000000001.log"}, FilesIn(tmp.path()));
  ASSERT_TRUE(wal->Append(3, Payload(3)).ok());
  ASSERT_TRUE(wal->Commit(/*sync=*/true).ok());
  EXPECT_EQ((std::vector<uint64_t>{1, 3}), FirstIndexes(*wal));
  EXPECT_EQ((std::vector<std::string>{Payload(1), Payload(2)}),
            ReplaySegment(wal->segments().front()).records);
  EXPECT_EQ(std::vector<std::string>{Payload(3)}, ReplaySegment(wal->segments().back()).records);
}

TEST(SegmentDirTest, DeleteBelowOnEmptyDirectoryIsOk) {
  TempDir tmp;
  auto wal = OpenOrDie(tmp.path(), 100);
  EXPECT_TRUE(wal->DeleteBelow(100).ok());
}

}  // namespace
}  // namespace atmwatch::wal
