#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "atmwatch/v1/ingest.pb.h"
#include "ingest/event_validator.h"
#include "metrics/ingest_metrics.h"

namespace atmwatch::engine {
class Engine;
}

namespace atmwatch::ingest {

struct PipelineLimits {
  ValidationLimits events;
  std::size_t max_batch_events = 100000;
  std::size_t max_source_id_bytes = 128;
};

// The one path every batch takes, whichever listener it came in on:
// validate → order by (source_id, seq) → apply to the engine → Ack.
//
// Thread-safe: listeners on any thread may Submit concurrently; batches of
// different sources interleave, batches of one source apply in seq order.
class IngestPipeline {
 public:
  using Clock = std::function<std::int64_t()>;  // now, UTC milliseconds

  IngestPipeline(engine::Engine& engine, metrics::IngestMetrics& metrics, PipelineLimits limits,
                 Clock clock);

  using AckCallback = std::function<void(const v1::Ack&)>;

  // Processes one batch; `done` receives its acknowledgement exactly once,
  // on an unspecified thread, once the batch's effects are final. The batch
  // may be destroyed when Submit returns. Never throws for bad input:
  // everything wrong with the batch is in the Ack.
  void Submit(const v1::Batch& batch, AckCallback done);

  // Submit for callers that can block (HTTP worker threads, tests).
  v1::Ack SubmitAndWait(const v1::Batch& batch);

  void SetLimits(const PipelineLimits& limits);

 private:
  using Verdicts = std::vector<std::optional<EventRejection>>;
  using BatchResult = metrics::IngestMetrics::BatchResult;

  bool CheckBatch(const v1::Batch& batch, const PipelineLimits& limits, v1::Ack* ack);
  BatchResult Commit(const v1::Batch& batch, const Verdicts& verdicts, v1::Ack* ack);
  void CountOutcome(const v1::Batch& batch, BatchResult result, const v1::Ack& ack);

  engine::Engine& engine_;
  metrics::IngestMetrics& metrics_;
  Clock clock_;

  std::mutex limits_mutex_;
  PipelineLimits limits_;

  std::mutex commit_mutex_;  // orders batches; guards last_seq_
  std::unordered_map<std::string, std::uint64_t> last_seq_;
};

}  // namespace atmwatch::ingest
