#include "ingest/ingest_server.h"

#include <google/protobuf/io/coded_stream.h>
#include <spdlog/spdlog.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/address.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <deque>

#include "atmwatch/v1/ingest.pb.h"
#include "ingest/decoded_batch.h"
#include "ingest/frame_decoder.h"
#include "ingest/ingest_pipeline.h"
#include "metrics/ingest_metrics.h"

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

class IngestServer::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, IngestServer& server)
      : socket_(std::move(socket)),
        server_(server),
        decoder_(server.options_.max_frame_bytes),
        peer_(PeerName(socket_)),
        reader_wakeup_(socket_.get_executor()),
        writer_wakeup_(socket_.get_executor()) {}

  // Reads until the peer leaves or breaks the stream, while a writer
  // coroutine sends the acks; returns once both are done.
  asio::awaitable<void> Serve() {
    server_.metrics_.ConnectionOpened();
    auto self = shared_from_this();
    asio::co_spawn(socket_.get_executor(), WriteAcks(), [self](std::exception_ptr) {
      self->writer_done_ = true;
      self->reader_wakeup_.cancel();
    });
    const std::string_view why = co_await ReadBatches();
    if (!why.empty()) spdlog::debug("ingest: {} done: {}", peer_, why);
    reading_done_ = true;
    writer_wakeup_.cancel();
    while (!writer_done_) co_await Wait(reader_wakeup_);
    Close();
    server_.metrics_.ConnectionClosed();
  }

  void Close() {
    std::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

 private:
  // An ack owed to the peer, filled in when the pipeline is done with the batch.
  struct PendingAck {
    std::size_t frame_bytes = 0;
    bool ready = false;
    std::string encoded;
  };

  static std::string PeerName(const tcp::socket& socket) {
    std::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (ec) return "unknown peer";
    return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  }

  // Sleeps until another coroutine of this connection cancels the timer.
  static asio::awaitable<void> Wait(asio::steady_timer& wakeup) {
    wakeup.expires_at(asio::steady_timer::time_point::max());
    co_await wakeup.async_wait(kUseTuple);
  }

  bool WindowFull() const {
    return pending_.size() >= server_.options_.max_inflight_batches ||
           inflight_bytes_ >= server_.options_.max_inflight_bytes;
  }

  // Returns why reading ended.
  asio::awaitable<std::string_view> ReadBatches() {
    for (;;) {
      auto space = decoder_.Prepare(server_.options_.read_chunk_bytes);
      auto [read_error, n] =
          co_await socket_.async_read_some(asio::buffer(space.data(), space.size()), kUseTuple);
      if (read_error) co_return read_error == asio::error::eof ? "peer closed" : "read failed";
      decoder_.Commit(n);
      server_.metrics_.BytesReceived(static_cast<double>(n));

      std::string_view frame;
      FrameDecoder::Result result;
      while ((result = decoder_.Next(&frame)) == FrameDecoder::Result::kFrame) {
        auto batch = DecodedBatch::Parse(frame);
        if (!batch) {
          Reject("unparsable_batch");
          co_return "unparsable batch";
        }
        Submit(std::move(batch), frame.size());
        while (WindowFull() && !writer_done_) co_await Wait(reader_wakeup_);
        if (writer_done_) co_return "write failed";
      }
      if (result == FrameDecoder::Result::kError) {
        Reject(decoder_.error());
        co_return decoder_.error();
      }
    }
  }

  void Submit(std::unique_ptr<const DecodedBatch> batch, std::size_t frame_bytes) {
    auto pending = std::make_shared<PendingAck>();
    pending->frame_bytes = frame_bytes;
    pending_.push_back(pending);
    inflight_bytes_ += frame_bytes;
    // The pipeline may answer on another thread; the ack joins this
    // connection's executor before it touches connection state.
    server_.pipeline_.Submit(std::move(batch),
                             [self = shared_from_this(), pending](const v1::Ack& ack) {
                               std::string encoded;
                               AppendDelimited(ack, &encoded);
                               asio::post(self->socket_.get_executor(),
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
        auto [error, n] = co_await asio::async_write(socket_, asio::buffer(out), kUseTuple);
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
    server_.metrics_.CountRejectedFrame(reason);
    spdlog::warn("ingest: {} sent a bad frame ({}); closing that connection", peer_, reason);
  }

  tcp::socket socket_;
  IngestServer& server_;
  FrameDecoder decoder_;
  std::string peer_;
  std::deque<std::shared_ptr<PendingAck>> pending_;
  std::size_t inflight_bytes_ = 0;
  asio::steady_timer reader_wakeup_;
  asio::steady_timer writer_wakeup_;
  bool reading_done_ = false;
  bool writer_done_ = false;
};

IngestServer::IngestServer(asio::io_context& io, IngestPipeline& pipeline,
                           metrics::IngestMetrics& metrics, IngestServerOptions options)
    : io_(io), pipeline_(pipeline), metrics_(metrics), options_(options), acceptor_(io) {}

IngestServer::~IngestServer() = default;

Status IngestServer::Listen(const std::string& address) {
  std::string host, port;
  if (!SplitHostPort(address, &host, &port)) {
    return Status::Error("'" + address + "' is not HOST:PORT");
  }
  std::error_code ec;
  const auto ip = asio::ip::make_address(host, ec);
  if (ec) return Status::Error("'" + host + "' in '" + address + "' is not an IP address");
  const tcp::endpoint endpoint(ip, static_cast<unsigned short>(std::stoul(port)));
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) return Status::Ok();
  std::error_code ignored;
  acceptor_.close(ignored);
  return Status::Error("cannot listen on " + address + ": " + ec.message());
}

tcp::endpoint IngestServer::local_endpoint() const {
  std::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void IngestServer::Start() {
  asio::co_spawn(
      io_,
      [this]() -> asio::awaitable<void> {
        for (;;) {
          auto [error, socket] = co_await acceptor_.async_accept(kUseTuple);
          if (error == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
          if (error) {
            // Out of descriptors and the like: keep serving the connections we have.
            spdlog::warn("ingest: accept failed: {}", error.message());
            continue;
          }
          socket.set_option(tcp::no_delay(true), error);
          auto connection = std::make_shared<Connection>(std::move(socket), *this);
          connections_.insert(connection);
          asio::co_spawn(io_, connection->Serve(), [this, connection](std::exception_ptr) {
            connections_.erase(connection);
          });
        }
      },
      asio::detached);
}

void IngestServer::Stop() {
  std::error_code ignored;
  acceptor_.close(ignored);
  for (const auto& connection : connections_) connection->Close();
}

}  // namespace atmwatch::ingest
