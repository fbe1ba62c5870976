#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <cstddef>
#include <memory>
#include <set>
#include <string>

#include "common/status.h"

namespace atmwatch::metrics {
class IngestMetrics;
}

namespace atmwatch::ingest {

class IngestPipeline;

struct IngestServerOptions {
  std::size_t max_frame_bytes = 4 * 1024 * 1024;
  // Bytes asked of the socket per read; a read may carry many frames.
  std::size_t read_chunk_bytes = 64 * 1024;
  // Batches of one connection submitted and not yet acknowledged; reading
  // pauses at this many, or once their frames add up to max_inflight_bytes.
  std::size_t max_inflight_batches = 64;
  std::size_t max_inflight_bytes = 16 * 1024 * 1024;
};

// The TCP ingest listener: delimited Batch frames in, delimited Ack frames
// out, in order, one coroutine per connection.
//
// Pipelining and backpressure: a connection keeps reading while its batches
// are being made durable, up to max_inflight_batches / max_inflight_bytes,
// then pauses; acks go out in the order the batches came in. A peer that
// does not read its acks stalls its own stream and nothing else, and a
// connection never holds more than its in-flight window plus one read.
//
// A frame that is too large, has a broken length prefix or does not parse as
// a Batch closes that connection (counted by reason); other connections go on.
//
// Threading: everything runs on the io_context it is given, which must have
// exactly one thread running it. pipeline and metrics must outlive the server.
class IngestServer {
 public:
  IngestServer(asio::io_context& io, IngestPipeline& pipeline, metrics::IngestMetrics& metrics,
               IngestServerOptions options);
  ~IngestServer();

  // Binds and listens on "host:port" (port 0 = any free port). The error
  // names the address.
  Status Listen(const std::string& address);
  asio::ip::tcp::endpoint local_endpoint() const;

  // Starts accepting; connections are served on the io_context.
  void Start();
  // Stops accepting and closes every connection; call on the io thread.
  void Stop();

 private:
  class Connection;

  asio::io_context& io_;
  IngestPipeline& pipeline_;
  metrics::IngestMetrics& metrics_;
  IngestServerOptions options_;
  asio::ip::tcp::acceptor acceptor_;
  std::set<std::shared_ptr<Connection>> connections_;
};

// Splits "host:port" (IPv6 as "[::1]:7420"); false when it is not one.
bool SplitHostPort(const std::string& address, std::string* host, std::string* port);

}  // namespace atmwatch::ingest
