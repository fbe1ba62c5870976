#include "jetstream/in_flight_window.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace atmwatch::jetstream {
namespace {

using std::chrono::milliseconds;

TEST(InFlightWindowTest, GrantsNoMoreThanTheCapacity) {
  InFlightWindow window(10);
  EXPECT_EQ(window.Acquire(4), 4u);
  EXPECT_EQ(window.in_flight(), 4u);
  window.Release(4);
  EXPECT_EQ(window.Acquire(64), 10u);
  EXPECT_EQ(window.in_flight(), 10u);
}

TEST(InFlightWindowTest, AcquireWaitsUntilAWholeFetchFits) {
  InFlightWindow window(4);
  ASSERT_EQ(window.Acquire(4), 4u);
  std::atomic<std::size_t> granted{99};
  std::thread waiter([&] { granted = window.Acquire(3); });
  window.Release(1);  // not enough for 3: the waiter keeps waiting
  window.Release(2);
  waiter.join();
  EXPECT_EQ(granted, 3u);
  EXPECT_EQ(window.in_flight(), 4u);
}

TEST(InFlightWindowTest, CloseWakesAWaiterWithNothing) {
  InFlightWindow window(1);
  ASSERT_EQ(window.Acquire(1), 1u);
  std::atomic<std::size_t> granted{99};
  std::thread waiter([&] { granted = window.Acquire(1); });
  window.Close();
  waiter.join();
  EXPECT_EQ(granted, 0u);
  EXPECT_EQ(window.Acquire(1), 0u);
}

TEST(InFlightWindowTest, WaitIdleReturnsOnceEverythingIsReleased) {
  InFlightWindow window(8);
  ASSERT_EQ(window.Acquire(3), 3u);
  EXPECT_FALSE(window.WaitIdle(milliseconds(10)));
  std::thread releaser([&] { window.Release(3); });
  EXPECT_TRUE(window.WaitIdle(milliseconds(10000)));
  releaser.join();
}

}  // namespace
}  // namespace atmwatch::jetstream
