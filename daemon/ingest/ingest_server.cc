#include "ingest/ingest_server.h"

#include <google/protobuf/io/coded_stream.h>
#include <spdlog/spdlog.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/address.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "atmwatch/v1/ingest.pb.h"
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
        peer_(PeerName(socket_)) {}

  asio::awaitable<void> Serve() {
    server_.metrics_.ConnectionOpened();
    const std::string_view why = co_await Loop();
    if (!why.empty()) spdlog::debug("ingest: closing connection from {}: {}", peer_, why);
    server_.metrics_.ConnectionClosed();
  }

  void Close() {
    std::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

 private:
  static std::string PeerName(const tcp::socket& socket) {
    std::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (ec) return "unknown peer";
    return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  }

  // Returns why the connection ended.
  asio::awaitable<std::string_view> Loop() {
    std::string acks;
    v1::Batch batch;
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
        if (!batch.ParseFromArray(frame.data(), static_cast<int>(frame.size()))) {
          Reject("unparsable_batch");
          co_await Flush(acks);
          co_return "unparsable batch";
        }
        AppendDelimited(server_.pipeline_.Submit(batch), &acks);
      }
      if (result == FrameDecoder::Result::kError) {
        Reject(decoder_.error());
        co_await Flush(acks);
        co_return decoder_.error();
      }
      if (!co_await Flush(acks)) co_return "write failed";
    }
  }

  // Writes the acks gathered so far; false when the peer is gone.
  asio::awaitable<bool> Flush(std::string& acks) {
    if (acks.empty()) co_return true;
    auto [error, n] = co_await asio::async_write(socket_, asio::buffer(acks), kUseTuple);
    server_.metrics_.BytesSent(static_cast<double>(n));
    acks.clear();
    co_return !error;
  }

  void Reject(std::string_view reason) {
    server_.metrics_.CountRejectedFrame(reason);
    spdlog::warn("ingest: {} sent a bad frame ({}); closing that connection", peer_, reason);
  }

  tcp::socket socket_;
  IngestServer& server_;
  FrameDecoder decoder_;
  std::string peer_;
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
