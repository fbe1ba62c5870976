#include "client/ingest_client.h"

#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace atmwatch::client {
namespace {

bool SplitAddress(const std::string& address, std::string* host, std::string* port) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) return false;
  *host = address.substr(0, colon);
  *port = address.substr(colon + 1);
  if (host->front() == '[' && host->back() == ']') *host = host->substr(1, host->size() - 2);
  return true;
}

void SetTimeout(int fd, int option, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

}  // namespace

// One TCP connection to the daemon: delimited Batches out, delimited Acks in.
class IngestClient::Connection {
 public:
  static Status Open(const std::string& address, std::chrono::milliseconds timeout,
                     std::unique_ptr<Connection>* out) {
    std::string host, port;
    if (!SplitAddress(address, &host, &port)) {
      return Status::Error("'" + address + "' is not HOST:PORT");
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
      return Status::Error("cannot resolve " + address + ": " + gai_strerror(rc));
    }
    std::string error = "no address";
    for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
      const int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd < 0) continue;
      SetTimeout(fd, SO_SNDTIMEO, timeout);  // bounds connect() too
      SetTimeout(fd, SO_RCVTIMEO, timeout);
      if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        freeaddrinfo(found);
        out->reset(new Connection(fd));
        return Status::Ok();
      }
      error = std::strerror(errno);
      close(fd);
    }
    freeaddrinfo(found);
    return Status::Error("cannot connect to " + address + ": " + error);
  }

  ~Connection() { close(fd_); }

  Status Send(const v1::Batch& batch) {
    buffer_.clear();
    {
      google::protobuf::io::StringOutputStream stream(&buffer_);
      google::protobuf::util::SerializeDelimitedToZeroCopyStream(batch, &stream);
    }
    std::size_t sent = 0;
    while (sent < buffer_.size()) {
      const ssize_t n = send(fd_, buffer_.data() + sent, buffer_.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Status::Error(std::string("send failed: ") + std::strerror(errno));
      sent += static_cast<std::size_t>(n);
    }
    return Status::Ok();
  }

  Status Receive(v1::Ack* ack) {
    bool clean_eof = false;
    if (google::protobuf::util::ParseDelimitedFromZeroCopyStream(ack, &input_, &clean_eof)) {
      return Status::Ok();
    }
    if (clean_eof) return Status::Error("the daemon closed the connection");
    if (input_.GetErrno() == EAGAIN || input_.GetErrno() == EWOULDBLOCK) {
      return Status::Error("no ack within the ack timeout");
    }
    if (input_.GetErrno() != 0) {
      return Status::Error(std::string("receive failed: ") + std::strerror(input_.GetErrno()));
    }
    return Status::Error("the daemon sent something that is not an Ack");
  }

 private:
  explicit Connection(int fd) : fd_(fd), input_(fd) {}

  int fd_;
  google::protobuf::io::FileInputStream input_;
  std::string buffer_;
};

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
    if (ack.error() == v1::Ack::SEQ_GAP) {
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

Status IngestClient::EnsureConnected() {
  if (connection_ != nullptr && next_seq_ != 0) return Status::Ok();
  return Reconnect("connecting");
}

Status IngestClient::Reconnect(const std::string& why) {
  const bool first = connection_ == nullptr && totals_.batches == 0 && in_flight_.empty();
  connection_.reset();
  const auto deadline = std::chrono::steady_clock::now() + options_.give_up_after;
  auto backoff = options_.backoff_initial;
  for (int attempt = 0;; ++attempt) {
    if (attempt > 0 || !first) {
      if (attempt == 0) spdlog::warn("ingest client {}: {}; reconnecting", options_.source_id, why);
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, options_.backoff_max);
    }
    Status status = Connection::Open(options_.address, options_.ack_timeout, &connection_);
    if (status.ok()) status = ResendInFlight();
    if (status.ok()) {
      if (!first) ++totals_.reconnects;
      return Status::Ok();
    }
    connection_.reset();
    if (options_.give_up_after.count() > 0 && std::chrono::steady_clock::now() >= deadline) {
      return Status::Error(status.message() + " (gave up after " +
                           std::to_string(options_.give_up_after.count() / 1000) + " s)");
    }
  }
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
