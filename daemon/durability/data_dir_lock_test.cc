#include "durability/data_dir_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "testing/temp_dir.h"

namespace atmwatch::durability {
namespace {

using atmwatch::testing::TempDir;

using Mode = DataDirLock::Mode;

std::string Contents(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(DataDirLockTest, SecondExclusiveLockIsRefusedNamingTheHolder) {
  TempDir dir;
  DataDirLock first;
  ASSERT_TRUE(DataDirLock::Acquire(dir.path(), Mode::kExclusive, "atmwatchd", &first).ok());
  EXPECT_EQ(Contents(dir.Join("LOCK")), std::to_string(getpid()) + "\natmwatchd\n");

  DataDirLock second;
  const Status status = DataDirLock::Acquire(dir.path(), Mode::kExclusive, "atmwatchd", &second);
  ASSERT_FALSE(status.ok());
  EXPECT_FALSE(second.held());
  EXPECT_EQ(status.message(), dir.path() + " is in use: atmwatchd (PID " +
                                  std::to_string(getpid()) + ") holds " + dir.Join("LOCK") +
                                  "; stop it first");
}

TEST(DataDirLockTest, LockIsFreeAgainOnceItsHolderIsGone) {
  TempDir dir;
  {
    DataDirLock first;
    ASSERT_TRUE(DataDirLock::Acquire(dir.path(), Mode::kExclusive, "atmwatchd", &first).ok());
  }
  DataDirLock second;
  EXPECT_TRUE(DataDirLock::Acquire(dir.path(), Mode::kExclusive, "atmwatch report", &second).ok());
  EXPECT_EQ(Contents(dir.Join("LOCK")), std::to_string(getpid()) + "\natmwatch report\n");
}

TEST(DataDirLockTest, ReaderIsRefusedWhileAWriterHoldsTheDirectory) {
  TempDir dir;
  DataDirLock writer;
  ASSERT_TRUE(DataDirLock::Acquire(dir.path(), Mode::kExclusive, "atmwatchd", &writer).ok());
  DataDirLock reader;
  const Status status = DataDirLock::Acquire(dir.path(), Mode::kShared, "atmwatch wal", &reader);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("atmwatchd (PID " + std::to_string(getpid()) + ")"),
            std::string::npos)
      << status.message();
}

TEST(DataDirLockTest, ReadersShareAndKeepAWriterOutWithoutNamingAStalePid) {
  TempDir dir;
  std::ofstream(dir.Join("LOCK")) << "999999\natmwatchd\n";  // left by a writer long gone
  DataDirLock first, second;
  ASSERT_TRUE(DataDirLock::Acquire(dir.path(), Mode::kShared, "atmwatch wal", &first).ok());
  ASSERT_TRUE(DataDirLock::Acquire(dir.path(), Mode::kShared, "atmwatch wal", &second).ok());
  EXPECT_TRUE(first.held());

  DataDirLock writer;
  const Status status = DataDirLock::Acquire(dir.path(), Mode::kExclusive, "atmwatchd", &writer);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("is being read by `atmwatch wal`"), std::string::npos)
      << status.message();
  EXPECT_EQ(status.message().find("999999"), std::string::npos) << status.message();
}

TEST(DataDirLockTest, ReaderOfADirectoryNoDaemonEverLockedCreatesNothing) {
  TempDir dir;
  DataDirLock reader;
  ASSERT_TRUE(DataDirLock::Acquire(dir.path(), Mode::kShared, "atmwatch wal", &reader).ok());
  EXPECT_FALSE(reader.held());
  EXPECT_FALSE(std::filesystem::exists(dir.Join("LOCK")));
}

TEST(DataDirLockTest, MissingDirectoryIsAnErrorNamingTheFile) {
  TempDir dir;
  DataDirLock lock;
  const Status status =
      DataDirLock::Acquire(dir.Join("missing"), Mode::kExclusive, "atmwatchd", &lock);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find(dir.Join("missing/LOCK") + ": open: "), std::string::npos)
      << status.message();
}

}  // namespace
}  // namespace atmwatch::durability
