#include "net/peer_name.h"

namespace atmwatch::net {

std::string PeerName(const asio::basic_socket<asio::ip::tcp>& socket) {
  std::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown peer";
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

}  // namespace atmwatch::net
