#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace atmwatch::net {

// Opens, binds (SO_REUSEADDR) and listens on "host:port" (IPv6 as
// "[::1]:7420"), host an IP address literal, port 0 for any free port. On
// error the acceptor is left closed and the message names the address.
Status ListenTcp(const std::string& address, asio::ip::tcp::acceptor* acceptor);

// Accepts connections and hands each to `admit` until the acceptor is closed.
// A failed accept (out of descriptors and the like) is logged, naming
// `listener`, and accepting goes on: the connections open keep being served.
asio::awaitable<void> AcceptEach(asio::ip::tcp::acceptor& acceptor, std::string_view listener,
                                 std::function<void(asio::ip::tcp::socket)> admit);

}  // namespace atmwatch::net
