#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "events/event_kind.h"
#include "metrics/fixed_label_counters.h"

namespace atmwatch::metrics {

// Counters of the ingest path, built once and kept by reference as
// prometheus-cpp wants it: the hot path never hashes label sets.
//
// Thread-safe: prometheus-cpp's Counter, Gauge and Histogram are; the
// per-reason families are looked up under a mutex, once per batch at most.
class IngestMetrics {
 public:
  enum class Outcome { kAccepted, kDuplicate, kRejected };
  enum class BatchResult {
    kApplied,
    kDuplicate,
    kSeqGap,
    kInvalid,
    kUnavailable,
    kUnauthenticated
  };
  static constexpr int kOutcomes = 3;
  static constexpr int kBatchResults = 6;

  explicit IngestMetrics(prometheus::Registry& registry);

  void CountEvents(events::EventKind kind, Outcome outcome, double n = 1) {
    events_[events::Index(kind)][static_cast<int>(outcome)]->Increment(n);
  }
  // reason must come from a fixed set (validator reasons, engine reasons).
  void CountRejectedEvent(events::EventKind kind, std::string_view reason);
  void CountBatch(BatchResult result, double events);
  // Where a frame came in: the ingest port (the connection is closed) or a
  // POST /v1/events body (answered 400 or 413). The label `transport`.
  enum class Transport { kTcp, kHttp };
  // reason from a fixed set: frame decoder errors, "unparsable_batch", ...
  void CountRejectedFrame(Transport transport, std::string_view reason);

  void ConnectionOpened();
  void ConnectionClosed();
  void BytesReceived(double n) { bytes_in_.Increment(n); }
  void BytesSent(double n) { bytes_out_.Increment(n); }

  // The security counters below take reasons from fixed sets, all exported
  // from the start; a reason outside its set is a programming error and is
  // not counted.
  // no_client_cert, untrusted_cert, expired_cert, protocol, timeout.
  void CountHandshakeFailure(std::string_view reason);
  // unknown_source, missing_credential, subject_mismatch, token_mismatch.
  void CountAuthFailure(std::string_view reason);
  // connections_per_ip, idle_timeout, frame_timeout, write_timeout.
  void CountLimitHit(std::string_view limit);
  // A connection stopped reading at its full in-flight window.
  void CountReadPause() { read_pauses_.Increment(); }
  // A SIGHUP that brought TLS files the listener could not use.
  void CountTlsReload(bool ok) { tls_reloads_.Increment(ok ? "ok" : "failed"); }

 private:
  // frames 0 makes the series exist from the start.
  void CountRejectedFrame(Transport transport, std::string_view reason, double frames);

  prometheus::Family<prometheus::Counter>& events_family_;
  prometheus::Family<prometheus::Counter>& rejected_events_family_;
  prometheus::Family<prometheus::Counter>& frames_rejected_family_;
  std::array<std::array<prometheus::Counter*, kOutcomes>, events::kEventKinds.size()> events_{};
  std::array<prometheus::Counter*, kBatchResults> batches_{};
  prometheus::Histogram& batch_events_;
  prometheus::Gauge& connections_open_;
  prometheus::Counter& connections_total_;
  prometheus::Counter& bytes_in_;
  prometheus::Counter& bytes_out_;
  prometheus::Counter& read_pauses_;
  FixedLabelCounters tls_reloads_;
  FixedLabelCounters handshake_failures_;
  FixedLabelCounters auth_failures_;
  FixedLabelCounters limit_hits_;

  std::mutex reasons_mutex_;
  std::map<std::string, prometheus::Counter*, std::less<>> rejected_events_;
  std::map<std::string, prometheus::Counter*, std::less<>> frames_rejected_;
};

}  // namespace atmwatch::metrics
