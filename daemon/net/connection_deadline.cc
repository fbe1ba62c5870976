#include "net/connection_deadline.h"

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

namespace atmwatch::net {

asio::awaitable<void> ConnectionDeadline::Watch(const bool& closed,
                                                std::function<void(std::string_view)> expired) {
  while (!closed) {
    co_await timer_.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    if (closed || timer_.expiry() > asio::steady_timer::clock_type::now()) continue;
    expired(limit_);
  }
}

}  // namespace atmwatch::net
