#include "net/connection_deadline.h"

#include <gtest/gtest.h>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <string>
#include <vector>

namespace atmwatch::net {
namespace {

using namespace std::chrono_literals;

// A connection reduced to what the deadline touches: its closed flag and
// the limits that ended it.
struct FakeConnection {
  explicit FakeConnection(asio::io_context& io) : deadline(io.get_executor()) {}
  void Start(asio::io_context& io) {
    asio::co_spawn(io,
                   deadline.Watch(closed,
                                  [this](std::string_view limit) {
                                    expired.emplace_back(limit);
                                    closed = true;
                                  }),
                   [this](std::exception_ptr) { watch_done = true; });
  }
  ConnectionDeadline deadline;
  bool closed = false;
  bool watch_done = false;
  std::vector<std::string> expired;
};

TEST(ConnectionDeadlineTest, ARunOutDeadlineEndsTheConnectionNamingItsLimit) {
  asio::io_context io;
  FakeConnection connection(io);
  connection.Start(io);
  connection.deadline.Arm(1ms, "idle_timeout");
  io.run();  // returns once Watch is done: the only work left
  EXPECT_TRUE(connection.watch_done);
  EXPECT_EQ(connection.expired, std::vector<std::string>{"idle_timeout"});
}

TEST(ConnectionDeadlineTest, ReArmingReplacesTheDeadlineAndItsLimit) {
  asio::io_context io;
  FakeConnection connection(io);
  connection.Start(io);
  connection.deadline.Arm(1h, "idle_timeout");
  io.poll();  // Watch now waits on the hour-long deadline
  connection.deadline.Arm(1ms, "frame_timeout");
  io.run();
  EXPECT_EQ(connection.expired, std::vector<std::string>{"frame_timeout"});
}

TEST(ConnectionDeadlineTest, DisarmedNothingExpiresAndClosingEndsTheWatch) {
  asio::io_context io;
  FakeConnection connection(io);
  connection.Start(io);
  connection.deadline.Arm(1ms, "write_timeout");
  connection.deadline.Disarm();
  EXPECT_EQ(connection.deadline.limit(), "");
  io.poll();
  connection.closed = true;
  connection.deadline.Cancel();
  io.run();
  EXPECT_TRUE(connection.watch_done);
  EXPECT_TRUE(connection.expired.empty());
}

}  // namespace
}  // namespace atmwatch::net
