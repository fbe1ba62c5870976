#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "atmwatch/v1/ingest.pb.h"
#include "ingest/decoded_batch.h"
#include "ingest/event_validator.h"
#include "metrics/ingest_metrics.h"

namespace atmwatch::engine {
class Engine;
}

namespace atmwatch::ingest {

class GroupCommit;

struct PipelineLimits {
  ValidationLimits events;
  std::size_t max_batch_events = 100000;
  std::size_t max_source_id_bytes = 128;
  // Sources whose last batch time is tracked (ingest.max_sources); later
  // ones are only counted, so the series stay bounded.
  std::size_t max_sources = 1000;
};

// When each source last had a batch applied, for /metrics.
struct SourceFreshness {
  std::vector<std::pair<std::string, std::int64_t>> last_batch_unix_ms;  // sorted by source
  std::size_t sources = 0;  // every source known, tracked or not
};

// The one path every batch takes, whichever listener it came in on:
// validate → order by (source_id, seq) → write-ahead log (group commit,
// fsync) → apply to the engine → Ack. An Ack is never sent before its batch
// is durable, and a batch whose seq was already applied is acknowledged as
// duplicates, never applied twice.
//
// Thread-safety: Submit from any thread; batches of one source are applied
// in seq order. Acks are delivered on the group commit's apply thread.
class IngestPipeline {
 public:
  using Clock = std::function<std::int64_t()>;  // now, UTC milliseconds
  using AckCallback = std::function<void(const v1::Ack&)>;

  IngestPipeline(engine::Engine& engine, metrics::IngestMetrics& metrics, PipelineLimits limits,
                 Clock clock);

  // Until a commit is attached (recovery is done), batches are answered
  // UNAVAILABLE. `commit` must outlive the pipeline's use of it.
  void AttachCommit(GroupCommit* commit) { commit_ = commit; }

  // Processes one batch; `done` receives its acknowledgement exactly once,
  // on an unspecified thread, once the batch is durable (or refused). The
  // batch may be destroyed when Submit returns. Never throws for bad input:
  // everything wrong with the batch is in the Ack.
  void Submit(std::unique_ptr<const DecodedBatch> batch, AckCallback done);
  // Submit for a batch built in memory; it is copied.
  void Submit(const v1::Batch& batch, AckCallback done);

  // Submit for callers that can block (HTTP worker threads, tests).
  v1::Ack SubmitAndWait(const v1::Batch& batch);

  // Recovery: applies a batch read back from the write-ahead log, unless its
  // seq is already applied (the snapshot covers it). Single-threaded use
  // before AttachCommit.
  void Replay(const v1::Batch& record);

  // The last applied seq per source, for snapshots; call where nothing is
  // being applied (the group commit's apply thread between groups, or at
  // recovery).
  std::map<std::string, std::uint64_t> AppliedSeqs() const;
  void RestoreAppliedSeqs(const std::map<std::string, std::uint64_t>& seqs);

  void SetLimits(const PipelineLimits& limits);

  // The wall-clock time of each tracked source's newest applied batch (live
  // batches only: replay at start-up does not count as a batch arriving).
  SourceFreshness Freshness() const;

 private:
  using Verdicts = std::vector<std::optional<EventRejection>>;
  using BatchResult = metrics::IngestMetrics::BatchResult;
  struct Pending;

  bool CheckBatch(const v1::Batch& batch, const PipelineLimits& limits, v1::Ack* ack);
  void Sequence(GroupCommit& commit, std::shared_ptr<Pending> pending);
  void OnDurable(Pending& pending, bool durable);
  void Apply(Pending& pending);
  void CountOutcome(const v1::Batch& batch, BatchResult result, const v1::Ack& ack);
  static v1::Ack Unavailable(std::uint64_t seq, const std::string& why);

  engine::Engine& engine_;
  metrics::IngestMetrics& metrics_;
  Clock clock_;
  std::atomic<GroupCommit*> commit_{nullptr};

  std::mutex limits_mutex_;
  PipelineLimits limits_;

  // Guards both maps. reserved_ runs ahead of applied_ by the batches queued
  // for the log; a failed write rolls it back.
  mutable std::mutex seq_mutex_;
  std::unordered_map<std::string, std::uint64_t> reserved_;
  std::unordered_map<std::string, std::uint64_t> applied_;
  std::map<std::string, std::int64_t> last_batch_ms_;  // at most limits_.max_sources
  std::atomic<std::size_t> max_sources_;
};

}  // namespace atmwatch::ingest
