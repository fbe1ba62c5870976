#pragma once

#include <chrono>
#include <cstdint>

namespace atmwatch {

// Milliseconds since the Unix epoch (UTC), the unit of every event's
// time_unix_ms: what the daemon and the tools stamp and compare events with.
inline std::int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace atmwatch
