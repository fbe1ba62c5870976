#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

struct mg_context;
struct mg_connection;

namespace atmwatch::http {

// A response a route hands back; the server writes it.
struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// A request as routes see it: body already read, within the size limit.
struct Request {
  std::string_view method;
  std::string_view path;
  std::string_view query;
  std::string_view content_type;
  std::string body;
};

// The daemon's HTTP listener (CivetWeb underneath): exact-path routes, each
// a function from Request to Response, on CivetWeb's worker threads.
//
// Routes must be thread-safe and are registered before Start. Bodies larger
// than max_body_bytes are answered 413 without reading them into memory.
class HttpServer {
 public:
  using Route = std::function<Response(const Request&)>;

  struct Options {
    std::size_t max_body_bytes = 4 * 1024 * 1024;
    int worker_threads = 4;
    int request_timeout_ms = 10000;
  };

  explicit HttpServer(Options options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void Handle(std::string path, Route route);
  // Called when a body exceeds the limit, for counting; optional.
  void OnBodyTooLarge(std::function<void()> hook) { on_body_too_large_ = std::move(hook); }

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
  };
  static int Dispatch(mg_connection* conn, void* entry);
  int Serve(mg_connection* conn, const Entry& entry);

  Options options_;
  std::vector<std::unique_ptr<Entry>> routes_;  // CivetWeb holds pointers to the entries
  std::function<void()> on_body_too_large_;
  mg_context* context_ = nullptr;
};

}  // namespace atmwatch::http
