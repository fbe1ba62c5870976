#include "ingest/ingest_server.h"

#include <google/protobuf/io/coded_stream.h>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/ssl/stream.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <deque>
#include <type_traits>

#include "atmwatch/v1/ingest.pb.h"
#include "ingest/decoded_batch.h"
#include "ingest/frame_decoder.h"
#include "ingest/ingest_pipeline.h"
#include "ingest/source_policy.h"
#include "metrics/ingest_metrics.h"
#include "net/connection_deadline.h"
#include "net/peer_name.h"
#include "net/tcp_listen.h"
#include "tls/tls_context.h"

namespace atmwatch::ingest {
namespace {

using asio::ip::tcp;
constexpr auto kUseTuple = asio::experimental::as_tuple(asio::use_awaitable);

void AppendDelimited(const google::protobuf::MessageLite& message, std::string* out) {
  const std::size_t size = message.ByteSizeLong();
  const std::size_t start = out->size();
  const std::size_t prefix =
      google::protobuf::io::CodedOutputStream::VarintSize32(static_cast<std::uint32_t>(size));
  out->resize(start + prefix + size);
  auto* target = reinterpret_cast<std::uint8_t*>(out->data() + start);
  target = google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(
      static_cast<std::uint32_t>(size), target);
  message.SerializeWithCachedSizesToArray(target);
}

}  // namespace

template <typename Stream>
class IngestServer::StreamConnection final
    : public IngestServer::Connection,
      public std::enable_shared_from_this<StreamConnection<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  // `tls` is null for a plain connection; a TLS one keeps it alive while it lasts.
  StreamConnection(tcp::socket socket, IngestServer& server,
                   std::shared_ptr<asio::ssl::context> tls)
      : tls_(std::move(tls)),
        stream_(MakeStream(std::move(socket), tls_.get())),
        server_(server),
        decoder_(server.options_.max_frame_bytes),
        peer_(net::PeerName(stream_.lowest_layer())),
        reader_wakeup_(stream_.get_executor()),
        writer_wakeup_(stream_.get_executor()),
        read_deadline_(stream_.get_executor()),
        write_deadline_(stream_.get_executor()) {}

  // Handshakes (TLS), then reads until the peer leaves or breaks the stream
  // while a writer coroutine sends the acks; returns once both are done.
  asio::awaitable<void> Serve() {
    server_.metrics_.ConnectionOpened();
    auto self = this->shared_from_this();
    Watch(self, read_deadline_);
    Watch(self, write_deadline_);
    if (co_await Handshake()) {
      asio::co_spawn(stream_.get_executor(), WriteAcks(), [self](std::exception_ptr) {
        self->writer_done_ = true;
        self->reader_wakeup_.cancel();
      });
      const std::string_view why = co_await ReadBatches();
      if (!why.empty()) spdlog::debug("ingest: {} done: {}", peer_, why);
      reading_done_ = true;
      writer_wakeup_.cancel();
      while (!writer_done_) co_await Wait(reader_wakeup_);
    }
    Close();
    server_.metrics_.ConnectionClosed();
  }

  void Close() override {
    closed_ = true;
    read_deadline_.Cancel();
    write_deadline_.Cancel();
    std::error_code ignored;
    auto& socket = stream_.lowest_layer();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

 private:
  // An ack owed to the peer, filled in when the pipeline is done with the batch.
  struct PendingAck {
    std::size_t frame_bytes = 0;
    bool ready = false;
    std::string encoded;
  };

  static Stream MakeStream(tcp::socket socket, asio::ssl::context* tls) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *tls);
    } else {
      return socket;
    }
  }

  // Sleeps until another coroutine of this connection cancels the timer.
  static asio::awaitable<void> Wait(asio::steady_timer& wakeup) {
    wakeup.expires_at(asio::steady_timer::time_point::max());
    co_await wakeup.async_wait(kUseTuple);
  }

  // Closes the connection once `deadline` runs out, counting the limit hit.
  void Watch(std::shared_ptr<StreamConnection> self, net::ConnectionDeadline& deadline) {
    auto expired = [self](std::string_view limit) {
      if (limit == kHandshakeTimeout) {
        self->server_.metrics_.CountHandshakeFailure("timeout");
      } else {
        self->server_.metrics_.CountLimitHit(limit);
      }
      spdlog::debug("ingest: {} closed: {}", self->peer_, limit);
      self->Close();
    };
    asio::co_spawn(stream_.get_executor(), deadline.Watch(closed_, std::move(expired)),
                   asio::detached);
  }

  // True when the connection may go on: always for plain TCP; for TLS once
  // the handshake succeeded, with the client certificate's subject noted.
  asio::awaitable<bool> Handshake() {
    if constexpr (kTls) {
      read_deadline_.Arm(server_.options_.frame_timeout, kHandshakeTimeout);
      auto [error] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kUseTuple);
      read_deadline_.Disarm();
      if (error) {
        if (closed_) co_return false;  // timed out: the watchdog counted it
        const std::string_view reason = tls::HandshakeFailureReason(error, stream_.native_handle());
        server_.metrics_.CountHandshakeFailure(reason);
        spdlog::warn("ingest: {} TLS handshake failed ({}): {}", peer_, reason, error.message());
        co_return false;
      }
      credentials_.cert_subject = tls::PeerCertificateSubject(stream_.native_handle());
    }
    co_return true;
  }

  bool WindowFull() const {
    return pending_.size() >= server_.options_.max_inflight_batches ||
           inflight_bytes_ >= server_.options_.max_inflight_bytes;
  }

  // Between frames the idle timeout runs; from a frame's first byte, the
  // frame timeout, which more bytes of the same frame do not extend.
  void ArmReadDeadline(bool frame_completed) {
    if (decoder_.buffered_bytes() == 0) {
      read_deadline_.Arm(server_.options_.idle_timeout, kIdleTimeout);
    } else if (frame_completed || read_deadline_.limit() != kFrameTimeout) {
      read_deadline_.Arm(server_.options_.frame_timeout, kFrameTimeout);
    }
  }

  // Returns why reading ended.
  asio::awaitable<std::string_view> ReadBatches() {
    bool frame_completed = true;
    for (;;) {
      ArmReadDeadline(frame_completed);
      frame_completed = false;
      auto space = decoder_.Prepare(server_.options_.read_chunk_bytes);
      auto [read_error, n] =
          co_await stream_.async_read_some(asio::buffer(space.data(), space.size()), kUseTuple);
      if (closed_) co_return "closed";
      if (read_error) co_return read_error == asio::error::eof ? "peer closed" : "read failed";
      decoder_.Commit(n);
      server_.metrics_.BytesReceived(static_cast<double>(n));

      std::string_view frame;
      FrameDecoder::Result result;
      while ((result = decoder_.Next(&frame)) == FrameDecoder::Result::kFrame) {
        frame_completed = true;
        auto batch = DecodedBatch::Parse(frame);
        if (!batch) {
          Reject("unparsable_batch");
          co_return "unparsable batch";
        }
        Authenticate(std::move(batch), frame.size());
        if (WindowFull()) {
          read_deadline_.Disarm();  // paused by us, not by the peer
          server_.metrics_.CountReadPause();
        }
        while (WindowFull() && !writer_done_) co_await Wait(reader_wakeup_);
        if (writer_done_) co_return "write failed";
      }
      if (result == FrameDecoder::Result::kError) {
        Reject(decoder_.error());
        co_return decoder_.error();
      }
    }
  }

  // Submits the batch when the connection's credentials vouch for its
  // source_id, and answers UNAUTHENTICATED in its place otherwise.
  void Authenticate(std::unique_ptr<DecodedBatch> batch, std::size_t frame_bytes) {
    if (std::string token = batch->TakeAuthToken(); !token.empty()) {
      credentials_.token = Sha256(token);
      OPENSSL_cleanse(token.data(), token.size());
    }
    const v1::Batch& b = batch->batch();
    auto failure = server_.sources_.Check(b.source_id(), credentials_);
    if (!failure) {
      Submit(std::move(batch), frame_bytes);
      return;
    }
    server_.metrics_.CountAuthFailure(failure->reason);
    server_.metrics_.CountBatch(metrics::IngestMetrics::BatchResult::kUnauthenticated,
                                b.events_size());
    if (!refusal_logged_) {
      refusal_logged_ = true;
      spdlog::warn("ingest: {} refused ({}): {}", peer_, failure->reason, failure->detail);
    }
    v1::Ack ack;
    ack.set_seq(b.seq());
    ack.set_error(v1::Ack::UNAUTHENTICATED);
    ack.set_error_detail(std::move(failure->detail));
    auto pending = std::make_shared<PendingAck>();
    pending->frame_bytes = frame_bytes;
    pending->ready = true;
    AppendDelimited(ack, &pending->encoded);
    pending_.push_back(std::move(pending));
    inflight_bytes_ += frame_bytes;
    writer_wakeup_.cancel();
  }

  void Submit(std::unique_ptr<const DecodedBatch> batch, std::size_t frame_bytes) {
    auto pending = std::make_shared<PendingAck>();
    pending->frame_bytes = frame_bytes;
    pending_.push_back(pending);
    inflight_bytes_ += frame_bytes;
    // The pipeline may answer on another thread; the ack joins this
    // connection's executor before it touches connection state.
    server_.pipeline_.Submit(std::move(batch),
                             [self = this->shared_from_this(), pending](const v1::Ack& ack) {
                               std::string encoded;
                               AppendDelimited(ack, &encoded);
                               asio::post(self->stream_.get_executor(),
                                          [self, pending, encoded = std::move(encoded)]() mutable {
                                            pending->encoded = std::move(encoded);
                                            pending->ready = true;
                                            self->writer_wakeup_.cancel();
                                          });
                             });
  }

  // Writes ready acks in batch order, several per write when they are ready together.
  asio::awaitable<void> WriteAcks() {
    std::string out;
    for (;;) {
      while (!pending_.empty() && pending_.front()->ready) {
        out += pending_.front()->encoded;
        inflight_bytes_ -= pending_.front()->frame_bytes;
        pending_.pop_front();
      }
      if (!out.empty()) {
        // A peer that stops reading its acks would otherwise hold this
        // connection and its in-flight window for good.
        write_deadline_.Arm(server_.options_.write_timeout, kWriteTimeout);
        auto [error, n] = co_await asio::async_write(stream_, asio::buffer(out), kUseTuple);
        write_deadline_.Disarm();
        server_.metrics_.BytesSent(static_cast<double>(n));
        if (error) co_return;
        out.clear();
        reader_wakeup_.cancel();
        continue;
      }
      if (reading_done_ && pending_.empty()) co_return;
      co_await Wait(writer_wakeup_);
    }
  }

  void Reject(std::string_view reason) {
    server_.metrics_.CountRejectedFrame(metrics::IngestMetrics::Transport::kTcp, reason);
    spdlog::warn("ingest: {} sent a bad frame ({}); closing that connection", peer_, reason);
  }

  static constexpr std::string_view kHandshakeTimeout = "handshake_timeout";
  static constexpr std::string_view kIdleTimeout = "idle_timeout";
  static constexpr std::string_view kFrameTimeout = "frame_timeout";
  static constexpr std::string_view kWriteTimeout = "write_timeout";

  std::shared_ptr<asio::ssl::context> tls_;  // before stream_, which uses it
  Stream stream_;
  IngestServer& server_;
  FrameDecoder decoder_;
  std::string peer_;
  PeerCredentials credentials_;
  std::deque<std::shared_ptr<PendingAck>> pending_;
  std::size_t inflight_bytes_ = 0;
  asio::steady_timer reader_wakeup_;
  asio::steady_timer writer_wakeup_;
  // Reading and writing each have one: a peer can stall either.
  net::ConnectionDeadline read_deadline_;
  net::ConnectionDeadline write_deadline_;
  bool reading_done_ = false;
  bool writer_done_ = false;
  bool closed_ = false;
  bool refusal_logged_ = false;
};

IngestServer::IngestServer(asio::io_context& io, IngestPipeline& pipeline,
                           metrics::IngestMetrics& metrics, const SourcePolicy& sources,
                           IngestServerOptions options)
    : io_(io),
      pipeline_(pipeline),
      metrics_(metrics),
      sources_(sources),
      options_(options),
      acceptor_(io) {}

IngestServer::~IngestServer() = default;

Status IngestServer::Listen(const std::string& address) {
  return net::ListenTcp(address, &acceptor_);
}

tcp::endpoint IngestServer::local_endpoint() const {
  std::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void IngestServer::Start() {
  asio::co_spawn(io_,
                 net::AcceptEach(acceptor_, "ingest",
                                 [this](tcp::socket socket) { Serve(std::move(socket)); }),
                 asio::detached);
}

void IngestServer::SetTlsContext(std::shared_ptr<asio::ssl::context> context) {
  tls_ = std::move(context);
}

bool IngestServer::AdmitPeer(const asio::ip::address& address) {
  std::size_t& open = connections_per_ip_[address];
  if (options_.max_connections_per_ip == 0 || open < options_.max_connections_per_ip) {
    ++open;
    return true;
  }
  metrics_.CountLimitHit("connections_per_ip");
  spdlog::debug("ingest: {} already has {} connections open; closing a new one",
                address.to_string(), open);
  return false;
}

void IngestServer::ReleasePeer(const asio::ip::address& address) {
  const auto found = connections_per_ip_.find(address);
  if (found != connections_per_ip_.end() && --found->second == 0) connections_per_ip_.erase(found);
}

void IngestServer::Serve(tcp::socket socket) {
  std::error_code error;
  const auto peer = socket.remote_endpoint(error);
  if (error) return;  // gone already
  if (!AdmitPeer(peer.address())) {
    socket.close(error);
    return;
  }
  socket.set_option(tcp::no_delay(true), error);
  auto spawn = [this, address = peer.address()](auto connection) {
    connections_.insert(connection);
    asio::co_spawn(io_, connection->Serve(), [this, connection, address](std::exception_ptr) {
      connections_.erase(connection);
      ReleasePeer(address);
    });
  };
  if (tls_) {
    spawn(std::make_shared<StreamConnection<asio::ssl::stream<tcp::socket>>>(std::move(socket),
                                                                             *this, tls_));
  } else {
    spawn(std::make_shared<StreamConnection<tcp::socket>>(std::move(socket), *this, nullptr));
  }
}

void IngestServer::Stop() {
  std::error_code ignored;
  acceptor_.close(ignored);
  for (const auto& connection : connections_) connection->Close();
}

}  // namespace atmwatch::ingest
