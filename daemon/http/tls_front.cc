#include "http/tls_front.h"

#include <spdlog/spdlog.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/ssl/stream.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <string_view>
#include <vector>

#include "metrics/http_tls_metrics.h"
#include "net/connection_deadline.h"
#include "net/peer_name.h"
#include "net/tcp_listen.h"
#include "tls/tls_context.h"

namespace atmwatch::http {
namespace {

using asio::ip::tcp;
constexpr auto kUseTuple = asio::experimental::as_tuple(asio::use_awaitable);

}  // namespace

// One client's connection and the connection to the HTTP server it is
// relayed to. Lives on the front's thread.
class TlsFront::Relay : public std::enable_shared_from_this<Relay> {
 public:
  Relay(tcp::socket client, std::shared_ptr<asio::ssl::context> tls, TlsFront& front)
      : tls_(std::move(tls)),
        client_(std::move(client), *tls_),
        backend_(client_.get_executor()),
        front_(front),
        peer_(net::PeerName(client_.next_layer())),
        deadline_(client_.get_executor()) {}

  // Handshakes, connects to the HTTP server and relays until one side
  // closes; returns with both closed.
  asio::awaitable<void> Run() {
    auto self = shared_from_this();
    front_.metrics_.ConnectionOpened();
    Watch(self);
    if (co_await Handshake() && co_await ConnectBackend()) {
      deadline_.Arm(front_.options_.idle_timeout, kIdleTimeout);
      asio::co_spawn(client_.get_executor(), Pump(client_, backend_),
                     [self](std::exception_ptr) { self->Close(); });
      co_await Pump(backend_, client_);
    }
    Close();
    front_.metrics_.ConnectionClosed();
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    deadline_.Cancel();
    std::error_code ignored;
    client_.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
    client_.next_layer().close(ignored);
    backend_.shutdown(tcp::socket::shutdown_both, ignored);
    backend_.close(ignored);
    if (relay_port_ != 0) front_.RemoveRelayPort(relay_port_);
  }

 private:
  static constexpr std::string_view kHandshakeTimeout = "handshake_timeout";
  static constexpr std::string_view kIdleTimeout = "idle_timeout";

  // Closes both sides once the deadline runs out, counting the limit hit.
  void Watch(std::shared_ptr<Relay> self) {
    auto expired = [self](std::string_view limit) {
      if (limit == kHandshakeTimeout) {
        self->front_.metrics_.CountHandshakeFailure("timeout");
      } else {
        self->front_.metrics_.CountLimitHit(limit);
      }
      spdlog::debug("http: {} closed: {}", self->peer_, limit);
      self->Close();
    };
    asio::co_spawn(client_.get_executor(), deadline_.Watch(closed_, std::move(expired)),
                   asio::detached);
  }

  asio::awaitable<bool> Handshake() {
    deadline_.Arm(front_.options_.handshake_timeout, kHandshakeTimeout);
    auto [error] = co_await client_.async_handshake(asio::ssl::stream_base::server, kUseTuple);
    if (!error) co_return !closed_;
    if (closed_) co_return false;  // timed out (counted by the watchdog) or stopped
    const std::string_view reason = tls::HandshakeFailureReason(error, client_.native_handle());
    front_.metrics_.CountHandshakeFailure(reason);
    spdlog::warn("http: {} TLS handshake failed ({}): {}", peer_, reason, error.message());
    co_return false;
  }

  // The port is registered before a byte is relayed, so the HTTP server
  // knows the connection by the time the first request arrives.
  asio::awaitable<bool> ConnectBackend() {
    auto [error] = co_await backend_.async_connect(front_.backend_, kUseTuple);
    if (closed_) co_return false;
    if (error) {
      spdlog::error("http: cannot reach the HTTP server on {}:{} for {}: {}",
                    front_.backend_.address().to_string(), front_.backend_.port(), peer_,
                    error.message());
      co_return false;
    }
    std::error_code ec;
    backend_.set_option(tcp::no_delay(true), ec);
    const auto local = backend_.local_endpoint(ec);
    if (ec) co_return false;
    relay_port_ = local.port();
    front_.AddRelayPort(relay_port_);
    co_return true;
  }

  // Copies `from` to `to` until either fails or closes; then closes both.
  // One buffer: nothing more is read until what was read is written.
  template <typename From, typename To>
  asio::awaitable<void> Pump(From& from, To& to) {
    std::vector<char> buffer(front_.options_.buffer_bytes);
    for (;;) {
      auto [read_error, n] = co_await from.async_read_some(asio::buffer(buffer), kUseTuple);
      if (read_error || closed_) break;
      deadline_.Arm(front_.options_.idle_timeout, kIdleTimeout);
      auto [write_error, written] =
          co_await asio::async_write(to, asio::buffer(buffer.data(), n), kUseTuple);
      if (write_error || closed_) break;
      deadline_.Arm(front_.options_.idle_timeout, kIdleTimeout);
    }
    Close();
  }

  std::shared_ptr<asio::ssl::context> tls_;  // before client_, which uses it
  asio::ssl::stream<tcp::socket> client_;
  tcp::socket backend_;
  TlsFront& front_;
  std::string peer_;
  net::ConnectionDeadline deadline_;
  unsigned short relay_port_ = 0;
  bool closed_ = false;
};

TlsFront::TlsFront(metrics::HttpTlsMetrics& metrics, TlsFrontOptions options)
    : metrics_(metrics), options_(options), acceptor_(io_) {}

TlsFront::~TlsFront() { Stop(); }

Status TlsFront::Listen(const std::string& address) { return net::ListenTcp(address, &acceptor_); }

tcp::endpoint TlsFront::local_endpoint() const {
  std::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void TlsFront::SetTlsContext(std::shared_ptr<asio::ssl::context> context) {
  std::lock_guard lock(mutex_);
  tls_ = std::move(context);
}

std::shared_ptr<asio::ssl::context> TlsFront::tls() const {
  std::lock_guard lock(mutex_);
  return tls_;
}

void TlsFront::Start(tcp::endpoint backend) {
  backend_ = backend;
  asio::co_spawn(
      io_,
      net::AcceptEach(acceptor_, "http", [this](tcp::socket socket) { Admit(std::move(socket)); }),
      asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

void TlsFront::Admit(tcp::socket socket) {
  std::error_code ignored;
  if (relays_.size() >= options_.max_connections) {
    metrics_.CountLimitHit("max_connections");
    spdlog::debug("http: {} HTTPS connections open already; closing a new one", relays_.size());
    socket.close(ignored);
    return;
  }
  auto context = tls();
  if (!context) {
    socket.close(ignored);
    return;
  }
  socket.set_option(tcp::no_delay(true), ignored);
  auto relay = std::make_shared<Relay>(std::move(socket), std::move(context), *this);
  relays_.insert(relay);
  asio::co_spawn(io_, relay->Run(), [this, relay](std::exception_ptr) { relays_.erase(relay); });
}

void TlsFront::CloseAll() {
  std::error_code ignored;
  acceptor_.close(ignored);
  for (const auto& relay : relays_) relay->Close();
}

void TlsFront::Stop() {
  if (!thread_.joinable()) {
    CloseAll();
    return;
  }
  // The accept loop and every relay end once their sockets are closed, and
  // then run() returns.
  asio::post(io_, [this] { CloseAll(); });
  thread_.join();
}

bool TlsFront::IsRelayPort(unsigned short port) const {
  std::lock_guard lock(mutex_);
  return relay_ports_.count(port) != 0;
}

void TlsFront::AddRelayPort(unsigned short port) {
  std::lock_guard lock(mutex_);
  relay_ports_.insert(port);
}

void TlsFront::RemoveRelayPort(unsigned short port) {
  std::lock_guard lock(mutex_);
  relay_ports_.erase(port);
}

}  // namespace atmwatch::http
