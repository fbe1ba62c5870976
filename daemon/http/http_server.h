#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

struct mg_context;
struct mg_connection;

namespace atmwatch::http {

// Sends one piece of a streamed body; false once the client is gone.
using BodyWriter = std::function<bool(std::string_view piece)>;

// A response a route hands back; the server writes it.
struct Response {
  Response() = default;
  Response(int status, std::string content_type, std::string body)
      : status(status), content_type(std::move(content_type)), body(std::move(body)) {}

  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Set: the body is what `stream` hands the writer, sent as it comes
  // (chunked to HTTP/1.1 clients, gathered first for HTTP/1.0 ones), and
  // `body` is not used. For bodies too big to build whole.
  std::function<void(const BodyWriter&)> stream;
};

// A request as routes see it: body already read, within the size limit.
struct Request {
  std::string_view method;
  std::string_view path;
  std::string_view query;
  std::string_view content_type;
  std::string_view authorization;  // the Authorization header, as sent
  std::string body;
};

// The daemon's HTTP listener (CivetWeb underneath): exact-path routes, each
// a function from Request to Response, on CivetWeb's worker threads.
//
// Routes must be thread-safe and are registered before Start. Bodies larger
// than max_body_bytes are answered 413 without reading them into memory.
//
// Routes registered as kUsers answer 401 unless the request carries HTTP
// basic credentials of a user set with SetBasicAuthUsers, whose password
// matches its crypt(3) hash; with no users set they are open. A 401 a route
// returns itself refused a bearer token, and says so in WWW-Authenticate.
class HttpServer {
 public:
  using Route = std::function<Response(const Request&)>;
  enum class Access { kOpen, kUsers };

  struct Options {
    std::size_t max_body_bytes = 4 * 1024 * 1024;
    int worker_threads = 4;
    int request_timeout_ms = 10000;
  };

  explicit HttpServer(Options options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void Handle(std::string path, Route route, Access access = Access::kOpen);
  // user → crypt(3) hash; replaces the previous set (SIGHUP). Thread-safe.
  void SetBasicAuthUsers(std::vector<std::pair<std::string, std::string>> users);
  // Called when a kUsers route refuses a request, for counting; optional.
  void OnUnauthorized(std::function<void()> hook) { on_unauthorized_ = std::move(hook); }
  // Called when a body exceeds the limit, for counting; optional.
  void OnBodyTooLarge(std::function<void()> hook) { on_body_too_large_ = std::move(hook); }
  // Set before Start: every request from a peer port `allowed` refuses is
  // answered 403 and its connection closed. For a server only a front on
  // this host may use (TlsFront::IsRelayPort); called on worker threads.
  void RestrictToPeerPorts(std::function<bool(int port)> allowed) {
    allowed_peer_port_ = std::move(allowed);
  }

  // Listens on "host:port" (port 0 = a free port); the error names the address.
  Status Start(const std::string& address);
  // The bound port once started.
  int port() const;
  void Stop();

 private:
  struct Entry {
    HttpServer* server;
    std::string path;
    Route route;
    Access access;
  };
  static int Dispatch(mg_connection* conn, void* entry);
  static int BeginRequest(mg_connection* conn);
  int Serve(mg_connection* conn, const Entry& entry);
  bool Authorized(std::string_view authorization) const;

  Options options_;
  mutable std::mutex users_mutex_;
  std::vector<std::pair<std::string, std::string>> users_;
  std::function<void()> on_unauthorized_;
  std::vector<std::unique_ptr<Entry>> routes_;  // CivetWeb holds pointers to the entries
  std::function<void()> on_body_too_large_;
  std::function<bool(int)> allowed_peer_port_;
  mg_context* context_ = nullptr;
};

}  // namespace atmwatch::http
