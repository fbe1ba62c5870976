#include "metrics/ingest_metrics.h"

namespace atmwatch::metrics {
namespace {

constexpr std::array<const char*, IngestMetrics::kOutcomes> kOutcomeNames = {
    "accepted", "duplicate", "rejected"};
constexpr std::array<const char*, IngestMetrics::kBatchResults> kBatchResultNames = {
    "applied", "duplicate", "seq_gap", "invalid", "unavailable", "unauthenticated"};

prometheus::Counter* CounterFor(std::map<std::string, prometheus::Counter*, std::less<>>& cache,
                                prometheus::Family<prometheus::Counter>& family,
                                const prometheus::Labels& labels, const std::string& key) {
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, &family.Add(labels)).first;
  return it->second;
}

}  // namespace

IngestMetrics::IngestMetrics(prometheus::Registry& registry)
    : events_family_(prometheus::BuildCounter()
                         .Name("atmwatch_ingest_events_total")
                         .Help("Events received, by event kind and what became of them.")
                         .Register(registry)),
      rejected_events_family_(prometheus::BuildCounter()
                                  .Name("atmwatch_ingest_events_rejected_total")
                                  .Help("Events refused, by event kind and reason.")
                                  .Register(registry)),
      frames_rejected_family_(
          prometheus::BuildCounter()
              .Name("atmwatch_ingest_frames_rejected_total")
              .Help("Frames (transport tcp) or POST /v1/events bodies (transport http) "
                    "refused whole, by reason; a TCP connection that sends one is closed, an "
                    "HTTP request is answered 400 or 413.")
              .Register(registry)),
      batch_events_(
          prometheus::BuildHistogram()
              .Name("atmwatch_ingest_batch_events")
              .Help("Events per received batch.")
              .Register(registry)
              .Add({}, prometheus::Histogram::BucketBoundaries{1, 10, 100, 1000, 10000, 100000})),
      connections_open_(prometheus::BuildGauge()
                            .Name("atmwatch_ingest_connections")
                            .Help("Ingest connections open now.")
                            .Register(registry)
                            .Add({})),
      connections_total_(prometheus::BuildCounter()
                             .Name("atmwatch_ingest_connections_total")
                             .Help("Ingest connections accepted since start.")
                             .Register(registry)
                             .Add({})),
      bytes_in_(prometheus::BuildCounter()
                    .Name("atmwatch_ingest_bytes_total")
                    .Help("Bytes read from and written to ingest connections.")
                    .Register(registry)
                    .Add({{"direction", "in"}})),
      bytes_out_(prometheus::BuildCounter()
                     .Name("atmwatch_ingest_bytes_total")
                     .Help("Bytes read from and written to ingest connections.")
                     .Register(registry)
                     .Add({{"direction", "out"}})),
      read_pauses_(prometheus::BuildCounter()
                       .Name("atmwatch_ingest_read_pauses_total")
                       .Help("Times a connection stopped reading because its in-flight window "
                             "(ingest.max_inflight_batches, or 16 MiB of frames) was full: the "
                             "daemon making batches durable slower than the peer sends them.")
                       .Register(registry)
                       .Add({})),
      tls_reloads_(registry, "atmwatch_ingest_tls_reloads_total",
                   "Reloads (SIGHUP) of the ingest listener's TLS files; failed ones keep the "
                   "running certificates.",
                   "result", {"ok", "failed"}),
      handshake_failures_(
          registry, "atmwatch_ingest_tls_handshake_failures_total",
          "Ingest TLS handshakes that failed, by reason; the connection is closed.", "reason",
          {"no_client_cert", "untrusted_cert", "expired_cert", "protocol", "timeout"}),
      auth_failures_(
          registry, "atmwatch_ingest_auth_failures_total",
          "Batches refused (UNAUTHENTICATED) because the sender did not prove it may send for "
          "their source_id, by reason.",
          "reason", {"unknown_source", "missing_credential", "subject_mismatch", "token_mismatch"}),
      limit_hits_(
          registry, "atmwatch_ingest_limit_hits_total",
          "Ingest connections refused or closed by a limit: connections per peer address, no "
          "byte within the idle timeout, a frame not complete within the frame timeout, acks "
          "not taken by the peer within the write timeout.",
          "limit", {"connections_per_ip", "idle_timeout", "frame_timeout", "write_timeout"}) {
  for (events::EventKind kind : events::kEventKinds) {
    const std::string name(events::KindName(kind));
    for (int o = 0; o < kOutcomes; ++o) {
      events_[events::Index(kind)][o] =
          &events_family_.Add({{"kind", name}, {"result", kOutcomeNames[o]}});
    }
  }
  auto& batches = prometheus::BuildCounter()
                      .Name("atmwatch_ingest_batches_total")
                      .Help("Batches received, by what the daemon did with them.")
                      .Register(registry);
  for (int r = 0; r < kBatchResults; ++r) {
    batches_[r] = &batches.Add({{"result", kBatchResultNames[r]}});
  }
  // The reasons an operator alerts on exist from the start, so rate() sees the first one.
  for (const char* reason : {"frame_too_large", "bad_length_prefix", "unparsable_batch"}) {
    CountRejectedFrame(Transport::kTcp, reason, 0);
  }
  for (const char* reason : {"frame_too_large", "unparsable_batch"}) {
    CountRejectedFrame(Transport::kHttp, reason, 0);
  }
}

void IngestMetrics::CountRejectedEvent(events::EventKind kind, std::string_view reason) {
  const std::string name(events::KindName(kind));
  const std::string key = name + '\0' + std::string(reason);
  std::lock_guard lock(reasons_mutex_);
  CounterFor(rejected_events_, rejected_events_family_,
             {{"kind", name}, {"reason", std::string(reason)}}, key)
      ->Increment();
}

void IngestMetrics::CountRejectedFrame(Transport transport, std::string_view reason) {
  CountRejectedFrame(transport, reason, 1);
}

void IngestMetrics::CountRejectedFrame(Transport transport, std::string_view reason,
                                       double frames) {
  const std::string name = transport == Transport::kTcp ? "tcp" : "http";
  const std::string key = name + '\0' + std::string(reason);
  std::lock_guard lock(reasons_mutex_);
  CounterFor(frames_rejected_, frames_rejected_family_,
             {{"transport", name}, {"reason", std::string(reason)}}, key)
      ->Increment(frames);
}

void IngestMetrics::CountBatch(BatchResult result, double events) {
  batches_[static_cast<int>(result)]->Increment();
  batch_events_.Observe(events);
}

void IngestMetrics::CountHandshakeFailure(std::string_view reason) {
  handshake_failures_.Increment(reason);
}

void IngestMetrics::CountAuthFailure(std::string_view reason) { auth_failures_.Increment(reason); }

void IngestMetrics::CountLimitHit(std::string_view limit) { limit_hits_.Increment(limit); }

void IngestMetrics::ConnectionOpened() {
  connections_open_.Increment();
  connections_total_.Increment();
}

void IngestMetrics::ConnectionClosed() { connections_open_.Decrement(); }

}  // namespace atmwatch::metrics
