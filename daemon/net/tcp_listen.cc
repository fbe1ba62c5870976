#include "net/tcp_listen.h"

#include <asio/ip/address.hpp>

namespace atmwatch::net {

namespace {

using asio::ip::tcp;

// Splits "host:port" (IPv6 as "[::1]:7420"); false when it is not one.
bool SplitHostPort(const std::string& address, std::string* host, std::string* port) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) return false;
  *host = address.substr(0, colon);
  *port = address.substr(colon + 1);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  return !host->empty() && port->find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

Status ListenTcp(const std::string& address, tcp::acceptor* acceptor) {
  std::string host, port;
  if (!SplitHostPort(address, &host, &port)) {
    return Status::Error("'" + address + "' is not HOST:PORT");
  }
  std::error_code ec;
  const auto ip = asio::ip::make_address(host, ec);
  if (ec) return Status::Error("'" + host + "' in '" + address + "' is not an IP address");
  const tcp::endpoint endpoint(ip, static_cast<unsigned short>(std::stoul(port)));
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) return Status::Ok();
  std::error_code ignored;
  acceptor->close(ignored);
  return Status::Error("cannot listen on " + address + ": " + ec.message());
}

}  // namespace atmwatch::net
