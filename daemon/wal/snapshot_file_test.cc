#include "wal/snapshot_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "testing/temp_dir.h"

namespace atmwatch::wal {
namespace {

using atmwatch::testing::TempDir;

class RecordingReporter : public SnapshotReporter {
 public:
  void Damaged(const std::string& path, std::string_view reason) override {
    reports.emplace_back(std::filesystem::path(path).filename().native(), std::string(reason));
  }
  std::vector<std::pair<std::string, std::string>> reports;
};

struct Loaded {
  bool found = false;
  uint64_t lsn = 0;
  std::string payload;
  std::vector<std::pair<std::string, std::string>> reports;
};

Loaded Load(const std::string& dir) {
  RecordingReporter reporter;
  Loaded loaded;
  const Status status =
      LoadNewestSnapshot(dir, &reporter, &loaded.lsn, &loaded.payload, &loaded.found);
  EXPECT_TRUE(status.ok()) << status.message();
  loaded.reports = std::move(reporter.reports);
  return loaded;
}

void WriteOrDie(const std::string& dir, uint64_t lsn, std::string_view payload) {
  const Status status = WriteSnapshot(dir, lsn, payload);
  ASSERT_TRUE(status.ok()) << status.message();
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

void WriteBytes(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(SnapshotFileTest, FileNamesHoldTwentyDigits) {
  EXPECT_EQ("snapshot-00000000000000000042.snap", SnapshotFileName(42));
  uint64_t lsn = 0;
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  ASSERT_TRUE(ParseSnapshotFileName(SnapshotFileName(max), &lsn));
  EXPECT_EQ(max, lsn);
  for (const char* name : {"snapshot-42.snap", "snapshot-00000000000000000042.snap.tmp",
                           "snapshot-0000000000000000004x.snap", "wal-00000000000000000042.log",
                           "snapshot-99999999999999999999.snap", ""}) {
    EXPECT_FALSE(ParseSnapshotFileName(name, &lsn)) << name;
  }
}

TEST(SnapshotFileTest, RoundTrip) {
  TempDir dir;
  WriteOrDie(dir.path(), 42, "the state");
  EXPECT_EQ(std::vector<std::string>{"snapshot-00000000000000000042.snap"}, FilesIn(dir.path()));
  const Loaded loaded = Load(dir.path());
  EXPECT_TRUE(loaded.found);
  EXPECT_EQ(42u, loaded.lsn);
  EXPECT_EQ("the state", loaded.payload);
  EXPECT_TRUE(loaded.reports.empty());
}

TEST(SnapshotFileTest, HeaderLayoutIsAsDocumented) {
  const std::string file = EncodeSnapshot(0x0102030405060708, "abc");
  ASSERT_EQ(kSnapshotHeaderSize + 3, file.size());
  EXPECT_EQ("AWSNAP01", file.substr(0, 8));
  EXPECT_EQ(std::string("\x01\0\0\0", 4), file.substr(8, 4));
  EXPECT_EQ(std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8), file.substr(16, 8));
  EXPECT_EQ(std::string("\x03\0\0\0\0\0\0\0", 8), file.substr(24, 8));
  EXPECT_EQ("abc", file.substr(36));
}

TEST(SnapshotFileTest, EmptyPayloadIsFine) {
  TempDir dir;
  WriteOrDie(dir.path(), 7, "");
  const Loaded loaded = Load(dir.path());
  EXPECT_TRUE(loaded.found);
  EXPECT_EQ(7u, loaded.lsn);
  EXPECT_EQ("", loaded.payload);
  EXPECT_EQ(kSnapshotHeaderSize, std::filesystem::file_size(dir.Join(SnapshotFileName(7))));
}

TEST(SnapshotFileTest, LargePayloadRoundTrips) {
  TempDir dir;
  std::string payload(300 * 1024, '\0');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 7 + i / 251);
  WriteOrDie(dir.path(), 1, payload);
  EXPECT_EQ(payload, Load(dir.path()).payload);
}

TEST(SnapshotFileTest, NoDirectoryOrNoSnapshotIsNotFound) {
  TempDir dir;
  Loaded loaded = Load(dir.Join("missing"));
  EXPECT_FALSE(loaded.found);
  loaded = Load(dir.path());
  EXPECT_FALSE(loaded.found);
  EXPECT_TRUE(loaded.reports.empty());
}

TEST(SnapshotFileTest, NewestWins) {
  TempDir dir;
  WriteOrDie(dir.path(), 9, "nine");
  WriteOrDie(dir.path(), 100, "hundred");
  WriteOrDie(dir.path(), 20, "twenty");
  const Loaded loaded = Load(dir.path());
  EXPECT_EQ(100u, loaded.lsn);
  EXPECT_EQ("hundred", loaded.payload);
}

TEST(SnapshotFileTest, RewritingTheSameLsnReplacesIt) {
  TempDir dir;
  WriteOrDie(dir.path(), 5, "first");
  WriteOrDie(dir.path(), 5, "second");
  EXPECT_EQ(1u, FilesIn(dir.path()).size());
  EXPECT_EQ("second", Load(dir.path()).payload);
}

// Every byte of a small snapshot flipped in turn: the damage is reported
// with the file's name and the previous snapshot is loaded instead.
TEST(SnapshotFileTest, EverySingleByteCorruptionFallsBackToThePrevious) {
  TempDir dir;
  WriteOrDie(dir.path(), 3, "older state");
  WriteOrDie(dir.path(), 8, "newer state, 27 bytes long");
  const std::string newest = dir.Join(SnapshotFileName(8));
  const std::string good = ReadBytes(newest);
  for (size_t i = 0; i < good.size(); ++i) {
    for (const uint8_t flip : {0x01, 0x80, 0xff}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ flip);
      WriteBytes(newest, bad);
      const Loaded loaded = Load(dir.path());
      EXPECT_EQ(3u, loaded.lsn) << "byte " << i;
      EXPECT_EQ("older state", loaded.payload) << "byte " << i;
      ASSERT_EQ(1u, loaded.reports.size()) << "byte " << i;
      EXPECT_EQ(SnapshotFileName(8), loaded.reports[0].first);
      EXPECT_FALSE(loaded.reports[0].second.empty());
    }
  }
}

TEST(SnapshotFileTest, EachFieldHasItsReason) {
  const std::string good = EncodeSnapshot(8, "payload");
  auto reason_with = [&](size_t at) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x40);
    uint64_t lsn = 0;
    std::string_view payload;
    return DecodeSnapshot(bad, &lsn, &payload);
  };
  EXPECT_EQ("bad magic", reason_with(0));
  EXPECT_EQ("unsupported version 65", reason_with(8));
  EXPECT_EQ("header checksum mismatch", reason_with(12));
  EXPECT_EQ("header checksum mismatch", reason_with(16));
  EXPECT_EQ("header checksum mismatch", reason_with(24));
  EXPECT_EQ("header checksum mismatch", reason_with(33));
  EXPECT_EQ("payload checksum mismatch", reason_with(kSnapshotHeaderSize + 2));
  uint64_t lsn = 0;
  std::string_view payload;
  EXPECT_EQ("length mismatch: header says 7 payload bytes, file has 8",
            DecodeSnapshot(good + "x", &lsn, &payload));
}

TEST(SnapshotFileTest, EveryTruncationFallsBackToThePrevious) {
  TempDir dir;
  WriteOrDie(dir.path(), 3, "older state");
  WriteOrDie(dir.path(), 8, "newer state");
  const std::string newest = dir.Join(SnapshotFileName(8));
  const std::string good = ReadBytes(newest);
  for (size_t length = 0; length < good.size(); ++length) {
    WriteBytes(newest, good.substr(0, length));
    const Loaded loaded = Load(dir.path());
    EXPECT_EQ(3u, loaded.lsn) << "length " << length;
    ASSERT_EQ(1u, loaded.reports.size()) << "length " << length;
    const std::string& reason = loaded.reports[0].second;
    EXPECT_TRUE(reason.starts_with("truncated")) << "length " << length << ": " << reason;
  }
}

TEST(SnapshotFileTest, AllDamagedIsNotFoundAndEachIsReported) {
  TempDir dir;
  WriteOrDie(dir.path(), 3, "a");
  WriteOrDie(dir.path(), 8, "b");
  WriteBytes(dir.Join(SnapshotFileName(3)), "garbage");
  WriteBytes(dir.Join(SnapshotFileName(8)), "");
  const Loaded loaded = Load(dir.path());
  EXPECT_FALSE(loaded.found);
  ASSERT_EQ(2u, loaded.reports.size());
  EXPECT_EQ(SnapshotFileName(8), loaded.reports[0].first);
  EXPECT_EQ(SnapshotFileName(3), loaded.reports[1].first);
}

TEST(SnapshotFileTest, RenamedFileIsCaughtByItsHeaderLsn) {
  TempDir dir;
  WriteOrDie(dir.path(), 3, "three");
  WriteOrDie(dir.path(), 5, "five");
  std::filesystem::rename(dir.Join(SnapshotFileName(5)), dir.Join(SnapshotFileName(9)));
  const Loaded loaded = Load(dir.path());
  EXPECT_EQ(3u, loaded.lsn);
  ASSERT_EQ(1u, loaded.reports.size());
  EXPECT_EQ("LSN 5 in header does not match the file name", loaded.reports[0].second);
}

TEST(SnapshotFileTest, StrayTempFileIsIgnoredAndRemovedByTheNextWrite) {
  TempDir dir;
  WriteOrDie(dir.path(), 3, "three");
  // A crash mid-write leaves a newer temp file, perhaps complete.
  WriteBytes(dir.Join(SnapshotFileName(9) + ".tmp"), EncodeSnapshot(9, "nine"));
  WriteBytes(dir.Join(SnapshotFileName(10) + ".tmp"), "half");
  std::vector<SnapshotFileInfo> snapshots;
  std::vector<std::string> temp_files;
  ASSERT_TRUE(ListSnapshots(dir.path(), &snapshots, &temp_files).ok());
  EXPECT_EQ(1u, snapshots.size());
  EXPECT_EQ(2u, temp_files.size());
  const Loaded loaded = Load(dir.path());
  EXPECT_EQ(3u, loaded.lsn);
  EXPECT_TRUE(loaded.reports.empty());

  WriteOrDie(dir.path(), 4, "four");
  EXPECT_EQ((std::vector<std::string>{SnapshotFileName(3), SnapshotFileName(4)}),
            FilesIn(dir.path()));
}

TEST(SnapshotFileTest, OtherFilesAreIgnored) {
  TempDir dir;
  WriteOrDie(dir.path(), 3, "three");
  WriteBytes(dir.Join("README"), "hello");
  WriteBytes(dir.Join("snapshot-5.snap"), "short name");
  std::vector<SnapshotFileInfo> snapshots;
  ASSERT_TRUE(ListSnapshots(dir.path(), &snapshots).ok());
  ASSERT_EQ(1u, snapshots.size());
  EXPECT_EQ(3u, snapshots[0].lsn);
  EXPECT_EQ(kSnapshotHeaderSize + 5, snapshots[0].size);
  EXPECT_TRUE(Load(dir.path()).reports.empty());
}

TEST(SnapshotFileTest, WriteIntoMissingDirectoryNamesThePath) {
  TempDir dir;
  const std::string missing = dir.Join("no/such/dir");
  const Status status = WriteSnapshot(missing, 1, "x");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(std::string::npos, status.message().find(missing)) << status.message();
  EXPECT_NE(std::string::npos, status.message().find("errno")) << status.message();
}

TEST(SnapshotFileTest, WriteIntoReadOnlyDirectoryNamesThePath) {
  TempDir dir;
  std::string read_only = dir.Join("ro");
  std::filesystem::create_directory(read_only);
  ASSERT_EQ(0, ::chmod(read_only.c_str(), 0555));
  // Root writes into any mode 0555 directory, but no one creates files in sysfs.
  if (::geteuid() == 0) read_only = "/sys";
  const Status status = WriteSnapshot(read_only, 1, "x");
  ::chmod(dir.Join("ro").c_str(), 0755);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(std::string::npos, status.message().find(read_only + "/snapshot-")) << status.message();
  EXPECT_NE(std::string::npos, status.message().find("create")) << status.message();
  EXPECT_TRUE(FilesIn(dir.Join("ro")).empty());
}

TEST(SnapshotFileTest, UnreadableSnapshotFailsTheLoadInsteadOfFallingBack) {
  TempDir dir;
  WriteOrDie(dir.path(), 3, "three");
  // A directory in a snapshot's place: open works, read fails (EISDIR).
  const std::string newest = dir.Join(SnapshotFileName(4));
  std::filesystem::create_directory(newest);
  uint64_t lsn = 0;
  std::string payload;
  bool found = true;
  const Status status = LoadNewestSnapshot(dir.path(), nullptr, &lsn, &payload, &found);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(std::string::npos, status.message().find(newest)) << status.message();
  EXPECT_FALSE(found);
}

TEST(SnapshotFileTest, RemoveOldSnapshotsKeepsTheNewestTwo) {
  TempDir dir;
  for (const uint64_t lsn : {4, 1, 9, 6}) WriteOrDie(dir.path(), lsn, "s");
  std::optional<uint64_t> oldest_kept;
  ASSERT_TRUE(RemoveOldSnapshots(dir.path(), kSnapshotsKept, &oldest_kept).ok());
  EXPECT_EQ((std::vector<std::string>{SnapshotFileName(6), SnapshotFileName(9)}),
            FilesIn(dir.path()));
  EXPECT_EQ(std::optional<uint64_t>(6), oldest_kept);

  ASSERT_TRUE(RemoveOldSnapshots(dir.path(), 1, &oldest_kept).ok());
  EXPECT_EQ(std::vector<std::string>{SnapshotFileName(9)}, FilesIn(dir.path()));
  EXPECT_EQ(std::optional<uint64_t>(9), oldest_kept);
}

TEST(SnapshotFileTest, RemoveOldSnapshotsWithNoneLeavesNothingToKeep) {
  TempDir dir;
  std::optional<uint64_t> oldest_kept = 5;
  ASSERT_TRUE(RemoveOldSnapshots(dir.path(), 2, &oldest_kept).ok());
  EXPECT_EQ(std::nullopt, oldest_kept);
  EXPECT_FALSE(RemoveOldSnapshots(dir.path(), 0).ok());
}

}  // namespace
}  // namespace atmwatch::wal
