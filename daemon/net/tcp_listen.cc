#include "net/tcp_listen.h"

#include <spdlog/spdlog.h>

#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/address.hpp>
#include <asio/use_awaitable.hpp>

#include "net/host_port.h"

namespace atmwatch::net {

namespace {
using asio::ip::tcp;
}  // namespace

Status ListenTcp(const std::string& address, tcp::acceptor* acceptor) {
  const auto parsed = ParseHostPort(address);
  if (!parsed) return Status::Error("'" + address + "' is not HOST:PORT");
  std::error_code ec;
  const auto ip = asio::ip::make_address(parsed->host, ec);
  if (ec) return Status::Error("'" + parsed->host + "' in '" + address + "' is not an IP address");
  const tcp::endpoint endpoint(ip, parsed->port);
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
