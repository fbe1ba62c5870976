#include "wal/file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "testing/temp_dir.h"
#include "wal/log_reader.h"
#include "wal/log_writer.h"

namespace atmwatch::wal {
namespace {

using atmwatch::testing::TempDir;

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

int OpenOrDie(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  EXPECT_GE(fd, 0) << path << ": " << std::strerror(errno);
  return fd;
}

std::string ReadFile(const std::string& path, size_t chunk) {
  std::unique_ptr<PosixSequentialFile> file;
  EXPECT_TRUE(PosixSequentialFile::Open(path, &file).ok());
  std::string contents;
  std::string buffer(chunk, '\0');
  size_t n = 0;
  do {
    EXPECT_TRUE(file->Read(buffer, &n).ok());
    contents.append(buffer, 0, n);
  } while (n > 0);
  return contents;
}

TEST(PosixFileTest, PosixErrorNamesFileAndErrnoText) {
  EXPECT_EQ("/data/wal-1.log: write: No space left on device (errno 28)",
            PosixError("/data/wal-1.log", "write", ENOSPC).message());
}

TEST(PosixFileTest, AppendsSyncsAndReadsBack) {
  TempDir dir;
  const std::string path = dir.Join("f");
  PosixWritableFile file(OpenOrDie(path, O_WRONLY | O_CREAT | O_APPEND), path);
  EXPECT_TRUE(file.Append("hello ").ok());
  EXPECT_TRUE(file.Append("").ok());
  EXPECT_TRUE(file.Append("world").ok());
  EXPECT_TRUE(file.Sync().ok());
  EXPECT_TRUE(file.Close().ok());
  EXPECT_EQ("hello world", ReadFile(path, 4));
}

TEST(PosixFileTest, TruncateCutsAndAppendingGoesOnAtTheNewEnd) {
  TempDir dir;
  const std::string path = dir.Join("f");
  PosixWritableFile file(OpenOrDie(path, O_WRONLY | O_CREAT | O_APPEND), path);
  ASSERT_TRUE(file.Append("kept|dropped").ok());
  ASSERT_TRUE(file.Truncate(5).ok());
  ASSERT_TRUE(file.Append("more").ok());
  ASSERT_TRUE(file.Close().ok());
  EXPECT_TRUE(file.Close().ok());  // a second Close does nothing
  EXPECT_EQ("kept|more", ReadFile(path, 4));
}

TEST(PosixFileTest, WriteToFullDeviceFailsNamingFileAndErrno) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no /dev/full";
  PosixWritableFile file(OpenOrDie("/dev/full", O_WRONLY), "/dev/full");
  const Status status = file.Append("x");
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(Contains(status.message(), "/dev/full")) << status.message();
  EXPECT_TRUE(Contains(status.message(), "No space left on device")) << status.message();
}

TEST(PosixFileTest, WriteToReadOnlyDescriptorFails) {
  TempDir dir;
  const std::string path = dir.Join("read-only");
  ::close(OpenOrDie(path, O_WRONLY | O_CREAT));
  PosixWritableFile file(OpenOrDie(path, O_RDONLY), path);
  const Status status = file.Append("x");
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(Contains(status.message(), path)) << status.message();
  EXPECT_TRUE(Contains(status.message(), "Bad file descriptor")) << status.message();
}

TEST(PosixFileTest, LogWriterReturnsWriteErrorOfFullDevice) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no /dev/full";
  PosixWritableFile file(OpenOrDie("/dev/full", O_WRONLY), "/dev/full");
  LogWriter writer(&file);
  const Status status = writer.AddRecord("batch");
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(Contains(status.message(), "/dev/full: write: No space left on device"))
      << status.message();
  EXPECT_FALSE(writer.AddRecord("next batch").ok());
  EXPECT_FALSE(writer.Sync().ok());
}

TEST(PosixFileTest, OpenMissingFileFailsNamingIt) {
  TempDir dir;
  const std::string path = dir.Join("missing");
  std::unique_ptr<PosixSequentialFile> file;
  const Status status = PosixSequentialFile::Open(path, &file);
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(Contains(status.message(), path)) << status.message();
  EXPECT_TRUE(Contains(status.message(), "No such file or directory")) << status.message();
}

TEST(PosixFileTest, LogRoundTripsThroughRealFile) {
  TempDir dir;
  const std::string path = dir.Join("log");
  const std::string big(100000, 'b');
  {
    PosixWritableFile file(OpenOrDie(path, O_WRONLY | O_CREAT | O_APPEND), path);
    LogWriter writer(&file);
    ASSERT_TRUE(writer.AddRecord("small").ok());
    ASSERT_TRUE(writer.AddRecord(big).ok());
    ASSERT_TRUE(writer.Sync().ok());
  }
  std::unique_ptr<PosixSequentialFile> file;
  ASSERT_TRUE(PosixSequentialFile::Open(path, &file).ok());
  LogReader reader(file.get(), nullptr);
  std::string record;
  uint64_t offset = 0;
  ASSERT_TRUE(reader.ReadRecord(&record, &offset));
  EXPECT_EQ("small", record);
  ASSERT_TRUE(reader.ReadRecord(&record, &offset));
  EXPECT_EQ(big, record);
  EXPECT_FALSE(reader.ReadRecord(&record, &offset));
  EXPECT_TRUE(reader.status().ok());
  EXPECT_FALSE(reader.torn_tail());
}

}  // namespace
}  // namespace atmwatch::wal
