#include "journal/line_reader.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace atmwatch::journal {

Status ReadCompleteLines(int fd, std::uint64_t begin, const LineLimits& limits,
                         const std::function<void(std::string_view, bool)>& visit,
                         std::uint64_t* end) {
  constexpr std::size_t kChunk = 256 * 1024;
  *end = begin;
  thread_local std::vector<char> chunk(kChunk);
  std::string carry;      // the start of a line that continues in the next chunk
  bool too_long = false;  // inside a line already known to be too long
  std::size_t lines = 0;
  std::uint64_t position = begin;
  while (lines < limits.max_lines && position < limits.stop_at) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, limits.stop_at - position));
    const ssize_t n = pread(fd, chunk.data(), want, static_cast<off_t>(position));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Error(std::string("read failed: ") + std::strerror(errno));
    if (n == 0) break;
    std::string_view data(chunk.data(), static_cast<std::size_t>(n));
    position += static_cast<std::uint64_t>(n);
    while (!data.empty() && lines < limits.max_lines) {
      const std::size_t newline = data.find('\n');
      if (newline == std::string_view::npos) {
        if (!too_long) carry.append(data);
        if (carry.size() > limits.max_line_bytes) {
          too_long = true;
          carry.clear();
        }
        break;
      }
      const std::uint64_t line_end = position - data.size() + newline + 1;
      std::string_view line = data.substr(0, newline);
      if (!carry.empty()) {
        carry.append(line);
        line = carry;
      }
      if (too_long || line.size() > limits.max_line_bytes) {
        visit({}, true);
      } else {
        visit(line, false);
      }
      carry.clear();
      too_long = false;
      ++lines;
      *end = line_end;
      data.remove_prefix(newline + 1);
    }
  }
  return Status::Ok();
}

}  // namespace atmwatch::journal
