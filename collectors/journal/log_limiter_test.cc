#include "journal/log_limiter.h"

#include <gtest/gtest.h>

namespace atmwatch::journal {
namespace {

using namespace std::chrono_literals;

TEST(LogLimiter, LetsABurstThroughPerWindowAndCountsTheRest) {
  LogLimiter limiter(2, 10s);
  const auto t0 = LogLimiter::Clock::time_point{} + 100s;
  EXPECT_TRUE(limiter.Allow(t0));
  EXPECT_TRUE(limiter.Allow(t0 + 1s));
  EXPECT_FALSE(limiter.Allow(t0 + 2s));
  EXPECT_FALSE(limiter.Allow(t0 + 9s));
  EXPECT_EQ(limiter.TakeSuppressed(), 2u);
  EXPECT_EQ(limiter.TakeSuppressed(), 0u);
  EXPECT_TRUE(limiter.Allow(t0 + 10s));
}

}  // namespace
}  // namespace atmwatch::journal
