#include "journal/log_limiter.h"

namespace atmwatch::journal {

bool LogLimiter::Allow(Clock::time_point now) {
  if (used_ == 0 || now - window_start_ >= window_) {
    window_start_ = now;
    used_ = 0;
  }
  if (used_ < burst_) {
    ++used_;
    return true;
  }
  ++suppressed_;
  return false;
}

std::uint64_t LogLimiter::TakeSuppressed() {
  const std::uint64_t n = suppressed_;
  suppressed_ = 0;
  return n;
}

}  // namespace atmwatch::journal
