#include "client/ingest_client.h"

#include <arpa/inet.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

#include "net/host_port.h"

namespace atmwatch::client {
namespace {

void SetTimeout(int fd, int option, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

}  // namespace

// The TLS side of a connection: the OpenSSL objects and how to make them.
class TlsSession {
 public:
  TlsSession() = default;
  ~TlsSession() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (context_ != nullptr) SSL_CTX_free(context_);
  }
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // Loads what `options` names into `context`: the CA certificates the
  // daemon's certificate must chain to, and the client certificate and key.
  static Status LoadFiles(SSL_CTX* context, const ClientTlsOptions& options) {
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
    const bool trust =
        options.ca_file.empty()
            ? SSL_CTX_set_default_verify_paths(context) == 1
            : SSL_CTX_load_verify_locations(context, options.ca_file.c_str(), nullptr) == 1;
    if (!trust) return Failure("cannot read the CA file '" + options.ca_file + "'");
    if (!options.cert_file.empty()) {
      if (SSL_CTX_use_certificate_chain_file(context, options.cert_file.c_str()) != 1) {
        return Failure("cannot read the client certificate '" + options.cert_file + "'");
      }
      const std::string& key = options.key_file.empty() ? options.cert_file : options.key_file;
      if (SSL_CTX_use_PrivateKey_file(context, key.c_str(), SSL_FILETYPE_PEM) != 1 ||
          SSL_CTX_check_private_key(context) != 1) {
        return Failure("cannot use the client key '" + key + "'");
      }
    }
    return Status::Ok();
  }

  // Handshakes over the connected `fd`, verifying the daemon's certificate
  // against `host` (or options.server_name).
  Status Connect(int fd, const ClientTlsOptions& options, const std::string& host) {
    context_ = SSL_CTX_new(TLS_client_method());
    if (context_ == nullptr) return Failure("cannot create a TLS context");
    if (Status status = LoadFiles(context_, options); !status.ok()) return status;
    ssl_ = SSL_new(context_);
    if (ssl_ == nullptr || SSL_set_fd(ssl_, fd) != 1) return Failure("cannot set up TLS");
    const std::string& name = options.server_name.empty() ? host : options.server_name;
    if (IsIpAddress(name)) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), name.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl_, name.c_str());
      SSL_set1_host(ssl_, name.c_str());
    }
    if (SSL_connect(ssl_) != 1) {
      const long verify = SSL_get_verify_result(ssl_);
      if (verify != X509_V_OK) {
        return Failure(std::string("the daemon's certificate does not verify: ") +
                       X509_verify_cert_error_string(verify));
      }
      certificate_refused_ = PeerRefusedCertificate();
      return Failure("TLS handshake failed");
    }
    return Status::Ok();
  }

  // Whether the daemon answered with an alert about this client's
  // certificate (untrusted, expired, missing, ...): a refusal that waiting
  // does not cure, unlike a daemon that is down. Under TLS 1.2 the alert
  // fails the handshake; under TLS 1.3 the daemon checks the certificate
  // after the client's side of the handshake is done, so the alert comes
  // with the first read.
  bool certificate_refused() const { return certificate_refused_; }
  void NoteIoFailure() { certificate_refused_ = certificate_refused_ || PeerRefusedCertificate(); }

  SSL* ssl() const { return ssl_; }

  // The reason of the last OpenSSL error, e.g. "sslv3 alert certificate
  // expired" when the daemon refused our certificate; `what` without one.
  static std::string LastError(const std::string& what) {
    const unsigned long error = ERR_get_error();
    ERR_clear_error();
    if (error == 0) return what;
    const char* reason = ERR_reason_error_string(error);
    return what + ": " + (reason != nullptr ? reason : "TLS error");
  }

 private:
  static Status Failure(const std::string& what) { return Status::Error(LastError(what)); }

  // Looks at the queued errors without taking them, so that LastError can
  // still name the reason.
  static bool PeerRefusedCertificate() {
    return IsCertificateAlert(ERR_peek_error()) || IsCertificateAlert(ERR_peek_last_error());
  }

  static bool IsCertificateAlert(unsigned long error) {
    if (ERR_GET_LIB(error) != ERR_LIB_SSL) return false;
    switch (ERR_GET_REASON(error) - SSL_AD_REASON_OFFSET) {
      case SSL_AD_BAD_CERTIFICATE:
      case SSL_AD_UNSUPPORTED_CERTIFICATE:
      case SSL_AD_CERTIFICATE_REVOKED:
      case SSL_AD_CERTIFICATE_EXPIRED:
      case SSL_AD_CERTIFICATE_UNKNOWN:
      case SSL_AD_UNKNOWN_CA:
      case SSL_AD_ACCESS_DENIED:
      case SSL_AD_CERTIFICATE_REQUIRED:
        return true;
      default:
        return false;
    }
  }

  static bool IsIpAddress(const std::string& name) {
    in6_addr address{};
    return inet_pton(AF_INET, name.c_str(), &address) == 1 ||
           inet_pton(AF_INET6, name.c_str(), &address) == 1;
  }

  SSL_CTX* context_ = nullptr;
  SSL* ssl_ = nullptr;
  bool certificate_refused_ = false;
};

// One TCP connection to the daemon, TLS or not: delimited Batches out,
// delimited Acks in.
class IngestClient::Connection {
 public:
  // `certificate_refused` says whether a failure was the daemon refusing the
  // client certificate at the handshake.
  static Status Open(const ClientOptions& options, std::unique_ptr<Connection>* out,
                     bool* certificate_refused) {
    *certificate_refused = false;
    const std::string& address = options.address;
    const auto timeout = options.ack_timeout;
    const auto parsed = net::ParseHostPort(address);
    if (!parsed) return Status::Error("'" + address + "' is not HOST:PORT");
    const std::string& host = parsed->host;
    const std::string port = std::to_string(parsed->port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
      return Status::Error("cannot resolve " + address + ": " + gai_strerror(rc));
    }
    std::string error = "no address";
    int connected = -1;
    for (addrinfo* ai = found; ai != nullptr && connected < 0; ai = ai->ai_next) {
      const int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd < 0) continue;
      SetTimeout(fd, SO_SNDTIMEO, timeout);  // bounds connect() and the handshake too
      SetTimeout(fd, SO_RCVTIMEO, timeout);
      if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        connected = fd;
      } else {
        error = std::strerror(errno);
        close(fd);
      }
    }
    freeaddrinfo(found);
    if (connected < 0) return Status::Error("cannot connect to " + address + ": " + error);
    std::unique_ptr<Connection> connection(new Connection(connected, options.auth_token));
    if (options.tls.enabled) {
      connection->tls_ = std::make_unique<TlsSession>();
      if (Status status = connection->tls_->Connect(connected, options.tls, host); !status.ok()) {
        *certificate_refused = connection->tls_->certificate_refused();
        return Status::Error("TLS to " + address + ": " + status.message());
      }
      connection->input_.tls = connection->tls_.get();
    }
    *out = std::move(connection);
    return Status::Ok();
  }

  ~Connection() {
    if (tls_ != nullptr) SSL_shutdown(tls_->ssl());
    close(fd_);
  }

  // Whether the daemon refused this client's certificate (see TlsSession).
  bool certificate_refused() const { return tls_ != nullptr && tls_->certificate_refused(); }

  // The first batch of the connection carries the token, if there is one.
  Status Send(const v1::Batch& batch) {
    buffer_.clear();
    {
      google::protobuf::io::StringOutputStream stream(&buffer_);
      if (!token_.empty() && !token_sent_) {
        v1::Batch with_token = batch;
        with_token.set_auth_token(token_);
        google::protobuf::util::SerializeDelimitedToZeroCopyStream(with_token, &stream);
        token_sent_ = true;
      } else {
        google::protobuf::util::SerializeDelimitedToZeroCopyStream(batch, &stream);
      }
    }
    return WriteAll(buffer_);
  }

  Status Receive(v1::Ack* ack) {
    bool clean_eof = false;
    input_.error.clear();
    if (google::protobuf::util::ParseDelimitedFromZeroCopyStream(ack, &stream_, &clean_eof)) {
      return Status::Ok();
    }
    if (!input_.error.empty()) return Status::Error(input_.error);
    if (clean_eof) return Status::Error("the daemon closed the connection");
    return Status::Error("the daemon sent something that is not an Ack");
  }

 private:
  // Bytes from the socket or the TLS session, with why a read failed.
  struct Input : google::protobuf::io::CopyingInputStream {
    int fd = -1;
    TlsSession* tls = nullptr;
    std::string error;

    int Read(void* buffer, int size) override {
      if (tls != nullptr) {
        const int n = SSL_read(tls->ssl(), buffer, size);
        if (n > 0) return n;
        const int code = SSL_get_error(tls->ssl(), n);
        if (code == SSL_ERROR_ZERO_RETURN) return 0;
        const bool timed_out =
            code == SSL_ERROR_WANT_READ ||
            (code == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK));
        if (timed_out) {
          error = "no ack within the ack timeout";
        } else {
          tls->NoteIoFailure();
          error = TlsSession::LastError("receive failed");
        }
        return -1;
      }
      for (;;) {
        const ssize_t n = recv(fd, buffer, static_cast<std::size_t>(size), 0);
        if (n >= 0) return static_cast<int>(n);
        if (errno == EINTR) continue;
        error = errno == EAGAIN || errno == EWOULDBLOCK
                    ? "no ack within the ack timeout"
                    : std::string("receive failed: ") + std::strerror(errno);
        return -1;
      }
    }
  };

  Connection(int fd, std::string token) : fd_(fd), token_(std::move(token)), stream_(&input_) {
    input_.fd = fd;
  }

  Status WriteAll(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const std::size_t left = bytes.size() - sent;
      if (tls_ != nullptr) {
        const int n = SSL_write(tls_->ssl(), bytes.data() + sent,
                                static_cast<int>(std::min<std::size_t>(left, 1 << 30)));
        if (n <= 0) {
          tls_->NoteIoFailure();
          return Status::Error(TlsSession::LastError("send failed"));
        }
        sent += static_cast<std::size_t>(n);
        continue;
      }
      const ssize_t n = send(fd_, bytes.data() + sent, left, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Status::Error(std::string("send failed: ") + std::strerror(errno));
      sent += static_cast<std::size_t>(n);
    }
    return Status::Ok();
  }

  int fd_;
  std::unique_ptr<TlsSession> tls_;
  std::string token_;
  bool token_sent_ = false;
  Input input_;
  google::protobuf::io::CopyingInputStreamAdaptor stream_;
  std::string buffer_;
};

Status CheckClientTlsFiles(const ClientTlsOptions& options) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  if (context == nullptr) {
    return Status::Error(TlsSession::LastError("cannot create a TLS context"));
  }
  Status status = TlsSession::LoadFiles(context, options);
  SSL_CTX_free(context);
  return status;
}

Status ReadTokenFile(const std::string& path, std::string* token) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return Status::Error("cannot read the token file " + path);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.empty()) return Status::Error("the token file " + path + " is empty");
  *token = std::move(line);
  return Status::Ok();
}

IngestClient::IngestClient(ClientOptions options, AckHandler on_ack)
    : options_(std::move(options)), on_ack_(std::move(on_ack)), next_seq_(options_.first_seq) {
  current_.set_source_id(options_.source_id);
}

IngestClient::~IngestClient() = default;

std::size_t IngestClient::pending_events() const {
  std::size_t n = static_cast<std::size_t>(current_.events_size());
  for (const auto& batch : in_flight_) n += static_cast<std::size_t>(batch.events_size());
  return n;
}

Status IngestClient::Add(v1::Envelope event) {
  *current_.add_events() = std::move(event);
  if (static_cast<std::size_t>(current_.events_size()) < options_.max_batch_events) {
    return Status::Ok();
  }
  return SendCurrent();
}

Status IngestClient::Flush() {
  if (auto status = SendCurrent(); !status.ok()) return status;
  while (!in_flight_.empty()) {
    if (auto status = AwaitOneAck(); !status.ok()) return status;
  }
  return Status::Ok();
}

Status IngestClient::SendCurrent() {
  if (current_.events_size() == 0) return Status::Ok();
  if (auto status = EnsureConnected(); !status.ok()) return status;
  while (in_flight_.size() >= options_.max_in_flight) {
    if (auto status = AwaitOneAck(); !status.ok()) return status;
  }
  current_.set_seq(next_seq_++);
  in_flight_.push_back(std::move(current_));
  current_ = v1::Batch();
  current_.set_source_id(options_.source_id);
  if (connection_ != nullptr) {
    if (connection_->Send(in_flight_.back()).ok()) return Status::Ok();
  }
  // Reconnecting resends everything in flight, this batch included.
  return Reconnect("send failed");
}

Status IngestClient::AwaitOneAck() {
  for (;;) {
    v1::Ack ack;
    Status received = connection_ ? connection_->Receive(&ack) : Status::Error("not connected");
    if (!received.ok()) {
      if (connection_ != nullptr && connection_->certificate_refused()) {
        return RefuseCertificate(received);
      }
      if (auto status = Reconnect(received.message()); !status.ok()) return status;
      continue;
    }
    const v1::Batch& batch = in_flight_.front();
    if (ack.seq() != batch.seq()) {
      if (auto status = Reconnect("ack out of order"); !status.ok()) return status;
      continue;
    }
    if (ack.error() == v1::Ack::UNAVAILABLE) {
      // The daemon cannot make batches durable right now; back off and resend.
      std::this_thread::sleep_for(options_.backoff_initial);
      if (auto status = Reconnect("daemon unavailable: " + ack.error_detail()); !status.ok()) {
        return status;
      }
      continue;
    }
    if (ack.error() == v1::Ack::SEQ_GAP || ack.error() == v1::Ack::UNAUTHENTICATED) {
      // Refused, not applied: this batch and the later ones stay in flight,
      // and a later Flush resends them under the same seqs on a new
      // connection (what an earlier connection had applied comes back as
      // duplicates).
      refusal_ = ack.error();
      connection_.reset();
      return Status::Error("the daemon refused batch " + std::to_string(batch.seq()) + " of '" +
                           options_.source_id + "': " + ack.error_detail());
    }
    Handle(batch, ack);
    in_flight_.pop_front();
    return Status::Ok();
  }
}

void IngestClient::Handle(const v1::Batch& batch, const v1::Ack& ack) {
  ++totals_.batches;
  totals_.accepted += ack.accepted();
  totals_.duplicates += ack.duplicates();
  totals_.rejected += ack.error() == v1::Ack::INVALID_BATCH
                          ? static_cast<std::uint64_t>(batch.events_size())
                          : static_cast<std::uint64_t>(ack.rejected_size());
  if (on_ack_) on_ack_(batch, ack);
}

Status IngestClient::Connect() { return EnsureConnected(); }

Status IngestClient::EnsureConnected() {
  if (connection_ != nullptr && next_seq_ != 0) return Status::Ok();
  return Reconnect("connecting");
}

Status IngestClient::Reconnect(const std::string& why) {
  const bool first = connection_ == nullptr && totals_.batches == 0 && in_flight_.empty();
  // After a refusal the caller has said why it tries again.
  const bool after_refusal = refusal_ != v1::Ack::NONE;
  refusal_ = v1::Ack::NONE;
  connection_.reset();
  const auto deadline = std::chrono::steady_clock::now() + options_.give_up_after;
  auto backoff = options_.backoff_initial;
  for (int attempt = 0;; ++attempt) {
    if (attempt > 0 || !first) {
      if (attempt == 0 && !after_refusal) {
        spdlog::warn("ingest client {}: {}; reconnecting", options_.source_id, why);
      }
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, options_.backoff_max);
    }
    RereadTokenFile();
    bool certificate_refused = false;
    Status status = Connection::Open(options_, &connection_, &certificate_refused);
    if (status.ok()) status = ResendInFlight();
    if (status.ok()) {
      if (!first) ++totals_.reconnects;
      return Status::Ok();
    }
    if (certificate_refused || (connection_ != nullptr && connection_->certificate_refused())) {
      return RefuseCertificate(status);
    }
    connection_.reset();
    if (refusal_ != v1::Ack::NONE) return status;
    if (first && attempt == 0) {
      // Said at once: the retries below can last give_up_after.
      spdlog::warn(
          "ingest client {}: cannot reach the daemon at {} ({}); retrying{}", options_.source_id,
          options_.address, status.message(),
          options_.give_up_after.count() > 0
              ? " for up to " + std::to_string(options_.give_up_after.count() / 1000) + " s"
              : std::string());
    }
    if (options_.give_up_after.count() > 0 && std::chrono::steady_clock::now() >= deadline) {
      return Status::Error(status.message() + " (gave up after " +
                           std::to_string(options_.give_up_after.count() / 1000) + " s)");
    }
  }
}

void IngestClient::RereadTokenFile() {
  if (options_.auth_token_file.empty()) return;
  std::string token;
  const Status read = ReadTokenFile(options_.auth_token_file, &token);
  if (read.ok()) {
    options_.auth_token = std::move(token);
    token_file_error_.clear();
  } else if (read.message() != token_file_error_) {
    token_file_error_ = read.message();
    spdlog::warn("ingest client {}: {}; keeping the token read before", options_.source_id,
                 read.message());
  }
}

// A certificate the daemon refused is an UNAUTHENTICATED refusal, as for a
// refused token: the connection is dropped and the events kept.
Status IngestClient::RefuseCertificate(const Status& failure) {
  refusal_ = v1::Ack::UNAUTHENTICATED;
  connection_.reset();
  return Status::Error("the daemon refused the certificate of '" + options_.source_id +
                       "' (UNAUTHENTICATED): " + failure.message());
}

Status IngestClient::ResendInFlight() {
  if (next_seq_ == 0) {
    // Ask where this source left off before numbering anything.
    v1::Batch hello;
    hello.set_source_id(options_.source_id);
    v1::Ack ack;
    if (auto status = connection_->Send(hello); !status.ok()) return status;
    if (auto status = connection_->Receive(&ack); !status.ok()) return status;
    if (ack.error() != v1::Ack::NONE) {
      if (ack.error() != v1::Ack::UNAVAILABLE) refusal_ = ack.error();
      return Status::Error("the daemon refused source '" + options_.source_id +
                           "': " + ack.error_detail());
    }
    next_seq_ = ack.next_seq();
  }
  for (const auto& batch : in_flight_) {
    if (auto status = connection_->Send(batch); !status.ok()) return status;
  }
  return Status::Ok();
}

}  // namespace atmwatch::client
