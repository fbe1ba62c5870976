#pragma once

#include <asio/ip/tcp.hpp>
#include <string>

namespace atmwatch::net {

// "address:port" of the connection's other end, for log lines; "unknown
// peer" once the socket has lost it (the peer reset before we asked).
std::string PeerName(const asio::basic_socket<asio::ip::tcp>& socket);

}  // namespace atmwatch::net
