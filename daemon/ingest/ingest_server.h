#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "common/status.h"

namespace atmwatch::metrics {
class IngestMetrics;
}

namespace atmwatch::ingest {

class IngestPipeline;
class SourcePolicy;

struct IngestServerOptions {
  std::size_t max_frame_bytes = 4 * 1024 * 1024;
  // Bytes asked of the socket per read; a read may carry many frames.
  std::size_t read_chunk_bytes = 64 * 1024;
  // Batches of one connection submitted and not yet acknowledged; reading
  // pauses at this many, or once their frames add up to max_inflight_bytes.
  std::size_t max_inflight_batches = 64;
  std::size_t max_inflight_bytes = 16 * 1024 * 1024;
  // Connections open at once from one peer address; more are closed as
  // soon as they are accepted. 0 = no limit.
  std::size_t max_connections_per_ip = 64;
  // A connection that sends no byte for this long, between frames, is closed.
  std::chrono::milliseconds idle_timeout{5 * 60 * 1000};
  // A frame must arrive whole within this of its first byte, and a TLS
  // handshake complete within it; a peer that dribbles bytes is closed.
  std::chrono::milliseconds frame_timeout{30 * 1000};
  // Acks the peer does not take within this (its receive window stays
  // full) close the connection.
  std::chrono::milliseconds write_timeout{30 * 1000};
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
// So do the limits in IngestServerOptions: connections per peer address, the
// idle timeout, the per-frame timeout and the write timeout (counted by
// limit). A full in-flight window only pauses reading (counted).
//
// TLS: with a context set, every connection is TLS; a failed handshake
// closes it (counted by reason). A connection's credentials (its verified
// client certificate's subject, the token of a batch that carried one) are
// checked against `sources` for each batch's source_id; a batch they do not
// vouch for is answered UNAUTHENTICATED and the connection stays open. The
// token is taken out of the batch before it goes to the pipeline.
//
// Threading: everything runs on the io_context it is given, which must have
// exactly one thread running it. pipeline, metrics and sources must outlive
// the server.
class IngestServer {
 public:
  IngestServer(asio::io_context& io, IngestPipeline& pipeline, metrics::IngestMetrics& metrics,
               const SourcePolicy& sources, IngestServerOptions options);
  ~IngestServer();

  // Binds and listens on "host:port" (port 0 = any free port). The error
  // names the address.
  Status Listen(const std::string& address);
  asio::ip::tcp::endpoint local_endpoint() const;

  // TLS for the connections accepted from now on (nullptr: plain TCP);
  // connections already open keep the context they started with. Call on
  // the io thread.
  void SetTlsContext(std::shared_ptr<asio::ssl::context> context);

  // Starts accepting; connections are served on the io_context.
  void Start();
  // Stops accepting and closes every connection; call on the io thread.
  void Stop();

 private:
  // One accepted connection, whatever its transport.
  class Connection {
   public:
    virtual ~Connection() = default;
    virtual void Close() = 0;
  };
  // Connection over a plain socket or a TLS stream: one read loop and one
  // ack writer for both.
  template <typename Stream>
  class StreamConnection;

  // False (and counted) when the peer already has its quota of connections.
  bool AdmitPeer(const asio::ip::address& address);
  void ReleasePeer(const asio::ip::address& address);
  void Serve(asio::ip::tcp::socket socket);

  asio::io_context& io_;
  IngestPipeline& pipeline_;
  metrics::IngestMetrics& metrics_;
  const SourcePolicy& sources_;
  IngestServerOptions options_;
  asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<asio::ssl::context> tls_;
  std::set<std::shared_ptr<Connection>> connections_;
  std::map<asio::ip::address, std::size_t> connections_per_ip_;
};

}  // namespace atmwatch::ingest
