#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <string_view>

namespace atmwatch::net {

// A timer that ends a connection when it runs out, and the limit it stands
// for ("idle_timeout", "write_timeout", ...), so a peer that stalls cannot
// hold a connection for good. Arm and Disarm are called on every read and
// write: they only move the timer; Watch does the waiting (asio's timeout
// example: re-arming cancels the wait, and the loop waits again).
class ConnectionDeadline {
 public:
  explicit ConnectionDeadline(const asio::any_io_executor& executor)
      : timer_(executor, asio::steady_timer::time_point::max()) {}

  // The connection ends when `limit` runs out `after` from now, unless
  // re-armed or disarmed first.
  void Arm(std::chrono::milliseconds after, std::string_view limit) {
    limit_ = limit;
    timer_.expires_after(after);
  }
  void Disarm() {
    limit_ = {};
    timer_.expires_at(asio::steady_timer::time_point::max());
  }
  // Ends Watch once the connection is closed.
  void Cancel() { timer_.cancel(); }

  // The limit armed now; empty when disarmed.
  std::string_view limit() const { return limit_; }

  // Until `closed` is true: each time the armed deadline passes, calls
  // `expired` with its limit; `expired` closes the connection (and sets
  // `closed`). The caller keeps the connection, and so `closed`, alive
  // while this runs.
  asio::awaitable<void> Watch(const bool& closed, std::function<void(std::string_view)> expired);

 private:
  asio::steady_timer timer_;
  std::string_view limit_;
};

}  // namespace atmwatch::net
