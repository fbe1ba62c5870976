#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "atmwatch/v1/ingest.pb.h"
#include "common/status.h"

namespace atmwatch::client {

// TLS to the daemon's ingest port (when it has `ingest.tls`).
struct ClientTlsOptions {
  bool enabled = false;
  // PEM CA certificates that the daemon's certificate must chain to; empty:
  // the system's trust store. The certificate must name the host of the
  // address (a DNS name, or the IP address itself), or server_name.
  std::string ca_file;
  std::string server_name;
  // The client certificate and key (PEM), for a daemon that requires one.
  std::string cert_file;
  std::string key_file;
};

struct ClientOptions {
  std::string address = "127.0.0.1:7420";  // the daemon's ingest listener, HOST:PORT
  std::string source_id;                   // required; stable across restarts of one source
  ClientTlsOptions tls;
  // The source's token, for a daemon that binds source_id to one; sent on
  // the first batch of each connection (Batch.auth_token). Use with TLS.
  std::string auth_token;
  // If set, auth_token is read again from this file (ReadTokenFile) for each
  // new connection, as the TLS files are, so that a rotated token takes
  // effect when the client next connects, e.g. after a refusal. A file that
  // cannot be read keeps the token read last.
  std::string auth_token_file;
  std::size_t max_batch_events = 1000;
  std::size_t max_in_flight = 8;  // batches sent and not yet acknowledged
  // First seq to send; 0 asks the daemon where this source left off, which is
  // right for a source that keeps no state of its own.
  std::uint64_t first_seq = 0;
  std::chrono::milliseconds ack_timeout{30000};
  std::chrono::milliseconds backoff_initial{100};
  std::chrono::milliseconds backoff_max{5000};
  // Give up when the daemon stays unreachable this long (0 = never).
  std::chrono::milliseconds give_up_after{60000};
};

struct ClientTotals {
  std::uint64_t batches = 0;
  std::uint64_t accepted = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t rejected = 0;  // per-event rejections plus events of invalid batches
  std::uint64_t reconnects = 0;
};

// Ok when the files of `options` load as they would for a connection: the CA
// file, the client certificate, and a key that matches it. The error names
// the file and OpenSSL's reason.
Status CheckClientTlsFiles(const ClientTlsOptions& options);

// The token in `path` (its first line; the file should be readable by the
// collector alone), for ClientOptions::auth_token.
Status ReadTokenFile(const std::string& path, std::string* token);

// Streams events to atmwatchd's ingest port: gathers them into numbered
// batches, keeps up to max_in_flight batches on the wire, matches acks to
// batches, and after a broken connection or an UNAVAILABLE ack reconnects
// with exponential backoff and resends every batch not yet acknowledged, in
// order. The daemon's (source_id, seq) check makes the resend safe.
//
// Blocking and single-threaded: Add blocks while the window is full, Flush
// until everything is acknowledged. The ack handler runs inside those calls.
// A Status error means the daemon stayed unreachable for give_up_after, or
// refused the stream (refusal() says so: a seq gap, UNAUTHENTICATED, which
// includes a TLS alert about the client's certificate). Either way the
// client keeps every event not yet acknowledged, and a later Flush reconnects
// and resends them under the same seqs; a caller that gives up instead loses
// them to this client, never half-applied.
class IngestClient {
 public:
  using AckHandler = std::function<void(const v1::Batch&, const v1::Ack&)>;

  explicit IngestClient(ClientOptions options, AckHandler on_ack = {});
  ~IngestClient();
  IngestClient(const IngestClient&) = delete;
  IngestClient& operator=(const IngestClient&) = delete;

  // Connects now rather than at the first batch; with first_seq 0, next_seq()
  // then says where the daemon has this source continue.
  Status Connect();
  Status Add(v1::Envelope event);
  // Sends the partial batch and waits for every outstanding ack.
  Status Flush();

  const ClientTotals& totals() const { return totals_; }
  // Why the daemon refused the stream at the last error (UNAUTHENTICATED,
  // SEQ_GAP); NONE when it did not (unreachable, or no error yet). Waiting
  // does not help a refusal, a change of the daemon's config or of this
  // client's credentials does.
  v1::Ack::Error refusal() const { return refusal_; }
  std::uint64_t next_seq() const { return next_seq_; }
  // Events added but not yet acknowledged.
  std::size_t pending_events() const;

 private:
  class Connection;

  Status SendCurrent();
  Status AwaitOneAck();
  Status EnsureConnected();
  Status Reconnect(const std::string& why);
  Status ResendInFlight();
  Status RefuseCertificate(const Status& failure);
  void RereadTokenFile();
  void Handle(const v1::Batch& batch, const v1::Ack& ack);

  ClientOptions options_;
  AckHandler on_ack_;
  v1::Ack::Error refusal_ = v1::Ack::NONE;
  std::string token_file_error_;  // logged once per change
  std::unique_ptr<Connection> connection_;
  v1::Batch current_;
  std::deque<v1::Batch> in_flight_;
  std::uint64_t next_seq_;
  ClientTotals totals_;
};

}  // namespace atmwatch::client
