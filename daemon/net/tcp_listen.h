#pragma once

#include <asio/ip/tcp.hpp>
#include <string>

#include "common/status.h"

namespace atmwatch::net {

// Opens, binds (SO_REUSEADDR) and listens on "host:port" (IPv6 as
// "[::1]:7420"), host an IP address literal, port 0 for any free port. On
// error the acceptor is left closed and the message names the address.
Status ListenTcp(const std::string& address, asio::ip::tcp::acceptor* acceptor);

}  // namespace atmwatch::net
