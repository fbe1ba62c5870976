#include "journal/line_reader.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

namespace atmwatch::journal {
namespace {

using ::testing::ElementsAre;

// An unlinked temporary file holding `content`.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/journal-line-reader-XXXXXX";
    fd_ = mkstemp(name);
    unlink(name);
    EXPECT_EQ(write(fd_, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  }
  ~TempFile() { close(fd_); }
  int fd() const { return fd_; }

 private:
  int fd_;
};

std::vector<std::string> Lines(const TempFile& file, std::uint64_t begin, LineLimits limits,
                               std::uint64_t* end) {
  std::vector<std::string> lines;
  EXPECT_TRUE(ReadCompleteLines(
                  file.fd(), begin, limits,
                  [&](std::string_view line, bool too_long) {
                    lines.push_back(too_long ? "<too long>" : std::string(line));
                  },
                  end)
                  .ok());
  return lines;
}

TEST(LineReader, APartialLastLineIsLeftForLater) {
  TempFile file("a\nbb\ncc");
  std::uint64_t end = 0;
  EXPECT_THAT(Lines(file, 0, {}, &end), ElementsAre("a", "bb"));
  EXPECT_EQ(end, 5u);
}

TEST(LineReader, StartsAtAnOffsetAndStopsAtALimitOrAByteBound) {
  TempFile file("a\nbb\ncc\ndd\n");
  std::uint64_t end = 0;
  LineLimits two;
  two.max_lines = 2;
  EXPECT_THAT(Lines(file, 2, two, &end), ElementsAre("bb", "cc"));
  EXPECT_EQ(end, 8u);
  LineLimits bound;
  bound.stop_at = 8;
  EXPECT_THAT(Lines(file, 0, bound, &end), ElementsAre("a", "bb", "cc"));
  EXPECT_EQ(end, 8u);
}

TEST(LineReader, ALineLongerThanTheLimitIsReportedNotKept) {
  const std::string longline(300 * 1024, 'x');  // spans chunks
  TempFile file("a\n" + longline + "\nb\n");
  std::uint64_t end = 0;
  LineLimits limits;
  limits.max_line_bytes = 1024;
  EXPECT_THAT(Lines(file, 0, limits, &end), ElementsAre("a", "<too long>", "b"));
  EXPECT_EQ(end, 2 + longline.size() + 1 + 2);
}

TEST(LineReader, ALineSpanningChunksIsWhole) {
  const std::string big(256 * 1024 - 3, 'y');
  TempFile file("ab\n" + big + "zzzz\n");
  std::uint64_t end = 0;
  LineLimits limits;
  limits.max_line_bytes = 1 << 20;
  EXPECT_THAT(Lines(file, 0, limits, &end), ElementsAre("ab", big + "zzzz"));
}

}  // namespace
}  // namespace atmwatch::journal
