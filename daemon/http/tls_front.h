#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "common/status.h"

namespace atmwatch::metrics {
class HttpTlsMetrics;
}

namespace atmwatch::http {

struct TlsFrontOptions {
  // A handshake not complete this long after the accept: closed, counted as
  // a handshake failure of reason "timeout".
  std::chrono::milliseconds handshake_timeout{10 * 1000};
  // No byte either way for this long: both sides closed. Longer than the
  // HTTP server's own timeouts, which normally end a quiet connection first;
  // this one ends a client that stopped reading its response.
  std::chrono::milliseconds idle_timeout{60 * 1000};
  // Connections open at once; more are closed as soon as they are accepted.
  std::size_t max_connections = 128;
  // Bytes read at a time in each direction: all a connection buffers.
  std::size_t buffer_bytes = 16 * 1024;
};

// HTTPS for the HTTP listener (config `http.tls`): accepts on the public
// address, completes the TLS handshake (verifying client certificates when
// the context asks for them) and relays the plain bytes both ways to the
// HTTP server, which listens on a loopback port and never sees TLS.
//
// Why not CivetWeb's own TLS: the system's CivetWeb 1.15 calls
// SSL_get_peer_certificate after every handshake, a function OpenSSL 3 no
// longer exports, and crashes on the first HTTPS request.
//
// Each connection has one coroutine per direction and one buffer each: a
// peer that does not read stalls its own connection only. When either side
// closes or fails, both are closed. No close_notify is sent: every response
// carries a Content-Length or is chunked (which ends with an empty chunk),
// so a close is never taken for the end of a body.
//
// Threading: between Start and Stop the front runs its own io_context on its
// own thread, so HTTPS answers (/readyz: 503) while the daemon's io_context
// is still busy recovering. SetTlsContext and IsRelayPort may be called from
// any thread; Listen, Start and Stop from one thread, not the front's.
// `metrics` must outlive the front.
class TlsFront {
 public:
  TlsFront(metrics::HttpTlsMetrics& metrics, TlsFrontOptions options);
  ~TlsFront();
  TlsFront(const TlsFront&) = delete;
  TlsFront& operator=(const TlsFront&) = delete;

  // Binds and listens on "host:port" (port 0 = any free port); the error
  // names the address.
  Status Listen(const std::string& address);
  asio::ip::tcp::endpoint local_endpoint() const;

  // The context of the connections accepted from now on; connections
  // already open keep theirs. Must be set before Start.
  void SetTlsContext(std::shared_ptr<asio::ssl::context> context);

  // Starts accepting; every connection is relayed to `backend`.
  void Start(asio::ip::tcp::endpoint backend);
  // Stops accepting, closes every connection and joins the thread.
  void Stop();

  // True while `port` is the local port of a connection this front holds
  // open to the backend: how the HTTP server tells the front's connections
  // from other local processes that found its loopback port.
  bool IsRelayPort(unsigned short port) const;

 private:
  class Relay;

  void Admit(asio::ip::tcp::socket socket);
  void CloseAll();
  std::shared_ptr<asio::ssl::context> tls() const;
  void AddRelayPort(unsigned short port);
  void RemoveRelayPort(unsigned short port);

  // First: destroyed last, after every socket that belongs to it.
  asio::io_context io_{1};
  metrics::HttpTlsMetrics& metrics_;
  TlsFrontOptions options_;
  asio::ip::tcp::acceptor acceptor_;
  asio::ip::tcp::endpoint backend_;
  std::set<std::shared_ptr<Relay>> relays_;  // on the front's thread only
  std::thread thread_;

  mutable std::mutex mutex_;  // guards tls_ and relay_ports_
  std::shared_ptr<asio::ssl::context> tls_;
  std::set<unsigned short> relay_ports_;
};

}  // namespace atmwatch::http
