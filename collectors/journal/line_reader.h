#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string_view>

#include "common/status.h"

namespace atmwatch::journal {

struct LineLimits {
  std::uint64_t stop_at = std::numeric_limits<std::uint64_t>::max();  // never read past this offset
  std::size_t max_lines = std::numeric_limits<std::size_t>::max();
  std::size_t max_line_bytes = 64 * 1024;
};

// Visits the complete ('\n'-terminated) lines of `fd` from offset `begin`,
// without the '\n'. Stops at the limits or before a last line that has no
// '\n' yet: a line being written is read once it is complete. A line longer
// than max_line_bytes is visited as (empty, too_long = true) and not kept in
// memory. *end is the offset after the last line visited. Uses pread, so the
// fd's position is untouched; an error is a failed read.
Status ReadCompleteLines(int fd, std::uint64_t begin, const LineLimits& limits,
                         const std::function<void(std::string_view line, bool too_long)>& visit,
                         std::uint64_t* end);

}  // namespace atmwatch::journal
