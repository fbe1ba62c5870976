#include "http/http_server.h"

#include <civetweb.h>
#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <mutex>

namespace atmwatch::http {
namespace {

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

constexpr const char* kBasicChallenge = "Basic realm=\"atmwatch\", charset=\"UTF-8\"";
constexpr const char* kBearerChallenge = "Bearer realm=\"atmwatch\"";

// `challenge` is the WWW-Authenticate of a 401.
void Write(mg_connection* conn, const Response& response, const char* challenge = nullptr) {
  const bool challenged = response.status == 401 && challenge != nullptr;
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
            "Cache-Control: no-store\r\n%s%s%s\r\n",
            response.status, ReasonPhrase(response.status), response.content_type.c_str(),
            response.body.size(), challenged ? "WWW-Authenticate: " : "",
            challenged ? challenge : "", challenged ? "\r\n" : "");
  mg_write(conn, response.body.data(), response.body.size());
}

// A streamed body goes out in chunks, so the whole of it never has to exist
// at once; an HTTP/1.0 client cannot take chunks and gets it gathered.
void WriteStream(mg_connection* conn, const Response& response) {
  const mg_request_info* info = mg_get_request_info(conn);
  if (info->http_version == nullptr || std::strcmp(info->http_version, "1.1") != 0) {
    Response gathered(response.status, response.content_type, {});
    response.stream([&gathered](std::string_view piece) {
      gathered.body.append(piece);
      return true;
    });
    Write(conn, gathered);
    return;
  }
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\n"
            "Cache-Control: no-store\r\n\r\n",
            response.status, ReasonPhrase(response.status), response.content_type.c_str());
  bool client_there = true;
  response.stream([conn, &client_there](std::string_view piece) {
    if (client_there && !piece.empty()) {
      client_there = mg_send_chunk(conn, piece.data(), static_cast<unsigned int>(piece.size())) > 0;
    }
    return client_there;
  });
  if (client_there) mg_send_chunk(conn, "", 0);
}

// CivetWeb keeps process-wide state; initialise it once.
void InitLibrary() {
  static std::once_flag once;
  std::call_once(once, [] { mg_init_library(0); });
}

// "user:password" from "Basic <base64>"; false when it is not that.
bool DecodeBasic(std::string_view authorization, std::string* user, std::string* password) {
  constexpr std::string_view kScheme = "Basic ";
  if (authorization.size() <= kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), authorization.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    return false;
  }
  const std::string_view encoded = authorization.substr(kScheme.size());
  if (encoded.size() % 4 != 0 || encoded.size() > 1024) return false;
  std::string decoded(encoded.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                                reinterpret_cast<const unsigned char*>(encoded.data()),
                                static_cast<int>(encoded.size()));
  if (n < 0) return false;
  std::size_t size = static_cast<std::size_t>(n);
  for (std::size_t i = encoded.size(); i > 0 && encoded[i - 1] == '='; --i) --size;  // padding
  decoded.resize(size);
  const auto colon = decoded.find(':');
  if (colon == std::string::npos) return false;
  *user = decoded.substr(0, colon);
  *password = decoded.substr(colon + 1);
  OPENSSL_cleanse(decoded.data(), decoded.size());
  return true;
}

// True when crypt(3) of `password` with `hash`'s salt gives `hash`.
bool PasswordMatches(const std::string& password, const std::string& hash) {
  crypt_data data{};
  const char* computed = crypt_r(password.c_str(), hash.c_str(), &data);
  const bool match = computed != nullptr && computed[0] != '*' &&
                     std::strlen(computed) == hash.size() &&
                     CRYPTO_memcmp(computed, hash.data(), hash.size()) == 0;
  OPENSSL_cleanse(&data, sizeof data);
  return match;
}

}  // namespace

HttpServer::HttpServer(Options options) : options_(options) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Handle(std::string path, Route route, Access access) {
  routes_.push_back(
      std::make_unique<Entry>(Entry{this, std::move(path), std::move(route), access}));
}

void HttpServer::SetBasicAuthUsers(std::vector<std::pair<std::string, std::string>> users) {
  std::lock_guard lock(users_mutex_);
  users_ = std::move(users);
}

bool HttpServer::Authorized(std::string_view authorization) const {
  std::vector<std::pair<std::string, std::string>> users;
  {
    std::lock_guard lock(users_mutex_);
    if (users_.empty()) return true;
    users = users_;
  }
  std::string user, password;
  if (!DecodeBasic(authorization, &user, &password)) return false;
  bool match = false;
  for (const auto& [name, hash] : users) {
    if (name == user) match = PasswordMatches(password, hash);
  }
  OPENSSL_cleanse(password.data(), password.size());
  return match;
}

Status HttpServer::Start(const std::string& address) {
  InitLibrary();
  const std::string threads = std::to_string(options_.worker_threads);
  const std::string timeout = std::to_string(options_.request_timeout_ms);
  const char* config[] = {
      "listening_ports", address.c_str(),     "num_threads", threads.c_str(), "request_timeout_ms",
      timeout.c_str(),   "enable_keep_alive", "yes",         "tcp_nodelay", "1", nullptr};
  mg_callbacks callbacks{};
  if (allowed_peer_port_) callbacks.begin_request = &HttpServer::BeginRequest;
  // CivetWeb logs through this hook; route its errors to our log.
  callbacks.log_message = [](const mg_connection*, const char* message) {
    spdlog::debug("http: {}", message);
    return 1;
  };
  mg_init_data init{&callbacks, this, config};
  std::array<char, 256> error_text{};
  unsigned error_code = 0;
  mg_error_data error{&error_code, error_text.data(), error_text.size()};
  context_ = mg_start2(&init, &error);
  if (context_ == nullptr) {
    return Status::Error("cannot listen on " + address + ": " + error_text.data());
  }
  for (const auto& entry : routes_) {
    mg_set_request_handler(context_, entry->path.c_str(), &HttpServer::Dispatch, entry.get());
  }
  return Status::Ok();
}

int HttpServer::port() const {
  if (context_ == nullptr) return 0;
  std::array<mg_server_port, 4> ports{};
  const int n = mg_get_server_ports(context_, static_cast<int>(ports.size()), ports.data());
  return n > 0 ? ports[0].port : 0;
}

void HttpServer::Stop() {
  if (context_ != nullptr) {
    mg_stop(context_);
    context_ = nullptr;
  }
}

// Before routing, so no path (nor CivetWeb's own 404) answers a refused peer.
int HttpServer::BeginRequest(mg_connection* conn) {
  const auto* server = static_cast<const HttpServer*>(mg_get_user_data(mg_get_context(conn)));
  const mg_request_info* info = mg_get_request_info(conn);
  if (server->allowed_peer_port_(info->remote_port)) return 0;
  spdlog::debug("http: refused a request from {}:{}, which is not the TLS front", info->remote_addr,
                info->remote_port);
  mg_disable_keep_alive(conn);
  Write(conn, {403, "text/plain; charset=utf-8", "this port serves the HTTPS listener only\n"});
  return 403;
}

int HttpServer::Dispatch(mg_connection* conn, void* entry) {
  const auto* route = static_cast<const Entry*>(entry);
  return route->server->Serve(conn, *route);
}

int HttpServer::Serve(mg_connection* conn, const Entry& entry) {
  const mg_request_info* info = mg_get_request_info(conn);
  // CivetWeb matches prefixes ("/metrics" also takes "/metricsx"); we want exact paths.
  if (info->local_uri == nullptr || entry.path != info->local_uri) {
    Write(conn, {404, "text/plain; charset=utf-8", "not found\n"});
    return 404;
  }
  Request request;
  request.method = info->request_method ? info->request_method : "";
  request.path = info->local_uri ? info->local_uri : "";
  request.query = info->query_string ? info->query_string : "";
  const char* type = mg_get_header(conn, "Content-Type");
  request.content_type = type ? type : "";
  const char* authorization = mg_get_header(conn, "Authorization");
  request.authorization = authorization ? authorization : "";
  if (entry.access == Access::kUsers && !Authorized(request.authorization)) {
    if (on_unauthorized_) on_unauthorized_();
    Write(conn, {401, "text/plain; charset=utf-8", "this path needs a user and password\n"},
          kBasicChallenge);
    return 401;
  }

  if (request.method == "POST" || request.method == "PUT") {
    if (info->content_length < 0) {
      Write(conn, {411, "text/plain; charset=utf-8", "a Content-Length is required\n"});
      return 411;
    }
    if (static_cast<std::size_t>(info->content_length) > options_.max_body_bytes) {
      if (on_body_too_large_) on_body_too_large_();
      Write(conn, {413, "text/plain; charset=utf-8",
                   "body of " + std::to_string(info->content_length) + " bytes exceeds the " +
                       std::to_string(options_.max_body_bytes) + "-byte limit\n"});
      mg_disable_keep_alive(conn);  // the unread body would be taken for the next request
      return 413;
    }
    request.body.resize(static_cast<std::size_t>(info->content_length));
    std::size_t got = 0;
    while (got < request.body.size()) {
      const int n = mg_read(conn, request.body.data() + got, request.body.size() - got);
      if (n <= 0) return 400;  // peer gone mid-body; nothing to answer
      got += static_cast<std::size_t>(n);
    }
  }
  const Response response = entry.route(request);
  if (response.stream) {
    WriteStream(conn, response);
  } else {
    Write(conn, response, kBearerChallenge);
  }
  return response.status;
}

}  // namespace atmwatch::http
