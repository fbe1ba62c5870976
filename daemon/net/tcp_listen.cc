#include "net/tcp_listen.h"

#include <spdlog/spdlog.h>

#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/address.hpp>
#include <asio/use_awaitable.hpp>

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

asio::awaitable<void> AcceptEach(tcp::acceptor& acceptor, std::string_view listener,
                                 std::function<void(tcp::socket)> admit) {
  for (;;) {
    auto [error, socket] =
        co_await acceptor.async_accept(asio::experimental::as_tuple(asio::use_awaitable));
    if (error == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (error) {
      spdlog::warn("{}: accept failed: {}", listener, error.message());
      continue;
    }
    admit(std::move(socket));
  }
}

}  // namespace atmwatch::net
