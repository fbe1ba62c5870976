#pragma once

#include <chrono>
#include <cstdint>

namespace atmwatch::journal {

// Lets at most `burst` messages through per `window`, so a file full of bad
// lines costs a few log lines, not one per line. Allow() says whether to log
// this one; TakeSuppressed() how many were held back since the last call
// (to say so when the next window opens). Pure: time is passed in. Not
// thread-safe.
class LogLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  LogLimiter(int burst, Clock::duration window) : burst_(burst), window_(window) {}

  bool Allow(Clock::time_point now);
  std::uint64_t TakeSuppressed();

 private:
  int burst_;
  Clock::duration window_;
  Clock::time_point window_start_{};
  int used_ = 0;
  std::uint64_t suppressed_ = 0;
};

}  // namespace atmwatch::journal
