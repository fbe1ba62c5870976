#include "ingest/ingest_pipeline.h"

#include <fmt/format.h>

#include <future>
#include <optional>
#include <vector>

#include "engine/engine.h"
#include "metrics/ingest_metrics.h"

namespace atmwatch::ingest {

using metrics::IngestMetrics;

IngestPipeline::IngestPipeline(engine::Engine& engine, IngestMetrics& metrics,
                               PipelineLimits limits, Clock clock)
    : engine_(engine), metrics_(metrics), clock_(std::move(clock)), limits_(std::move(limits)) {}

void IngestPipeline::SetLimits(const PipelineLimits& limits) {
  std::lock_guard lock(limits_mutex_);
  limits_ = limits;
}

bool IngestPipeline::CheckBatch(const v1::Batch& batch, const PipelineLimits& limits,
                                v1::Ack* ack) {
  auto invalid = [&](std::string detail) {
    ack->set_error(v1::Ack::INVALID_BATCH);
    ack->set_error_detail(std::move(detail));
    return false;
  };
  if (batch.source_id().empty()) return invalid("source_id is required");
  if (batch.source_id().size() > limits.max_source_id_bytes) {
    return invalid(fmt::format("source_id has {} bytes, at most {} allowed",
                               batch.source_id().size(), limits.max_source_id_bytes));
  }
  if (static_cast<std::size_t>(batch.events_size()) > limits.max_batch_events) {
    return invalid(fmt::format("batch has {} events, at most {} allowed (ingest.max_batch_events)",
                               batch.events_size(), limits.max_batch_events));
  }
  if (batch.seq() == 0 && batch.events_size() > 0) {
    return invalid("seq 0 only asks for the next seq and must carry no events");
  }
  return true;
}

v1::Ack IngestPipeline::SubmitAndWait(const v1::Batch& batch) {
  std::promise<v1::Ack> acked;
  Submit(batch, [&acked](const v1::Ack& ack) { acked.set_value(ack); });
  return acked.get_future().get();
}

void IngestPipeline::Submit(const v1::Batch& batch, AckCallback done) {
  PipelineLimits limits;
  {
    std::lock_guard lock(limits_mutex_);
    limits = limits_;
  }
  v1::Ack ack;
  ack.set_seq(batch.seq());
  if (!CheckBatch(batch, limits, &ack)) {
    metrics_.CountBatch(BatchResult::kInvalid, batch.events_size());
    done(ack);
    return;
  }
  // The stateless checks run before the commit lock, so concurrent
  // connections validate in parallel.
  Verdicts verdicts;
  verdicts.reserve(batch.events_size());
  const std::int64_t now = clock_();
  for (const auto& event : batch.events()) {
    verdicts.push_back(ValidateEvent(event, limits.events, now));
  }
  const BatchResult result = Commit(batch, verdicts, &ack);
  CountOutcome(batch, result, ack);
  done(ack);
}

IngestPipeline::BatchResult IngestPipeline::Commit(const v1::Batch& batch, const Verdicts& verdicts,
                                                   v1::Ack* ack) {
  std::lock_guard lock(commit_mutex_);
  auto [it, fresh] = last_seq_.try_emplace(batch.source_id(), 0);
  const std::uint64_t expected = it->second + 1;
  if (batch.seq() == 0) {
    ack->set_next_seq(expected);
    if (fresh) last_seq_.erase(it);
    return BatchResult::kApplied;
  }
  if (batch.seq() > expected) {
    if (fresh) last_seq_.erase(it);
    ack->set_error(v1::Ack::SEQ_GAP);
    ack->set_error_detail(fmt::format("seq {} skips ahead; source '{}' must send seq {} next",
                                      batch.seq(), batch.source_id(), expected));
    ack->set_next_seq(expected);
    return BatchResult::kSeqGap;
  }
  const bool duplicate = batch.seq() < expected;
  for (int i = 0; i < batch.events_size(); ++i) {
    const auto& verdict = verdicts[i];
    if (verdict) {
      auto* rejection = ack->add_rejected();
      rejection->set_index(i);
      rejection->set_reason(std::string(verdict->reason));
      rejection->set_detail(verdict->detail);
      continue;
    }
    if (duplicate) {
      ack->set_duplicates(ack->duplicates() + 1);
      continue;
    }
    if (auto refused = engine_.Apply(batch.events(i))) {
      auto* rejection = ack->add_rejected();
      rejection->set_index(i);
      rejection->set_reason(std::string(*refused));
      rejection->set_detail("the unknown-ATM cap (ingest.max_unknown_atms) is reached");
      continue;
    }
    ack->set_accepted(ack->accepted() + 1);
  }
  if (!duplicate) it->second = batch.seq();
  ack->set_next_seq(it->second + 1);
  return duplicate ? BatchResult::kDuplicate : BatchResult::kApplied;
}

void IngestPipeline::CountOutcome(const v1::Batch& batch, BatchResult result, const v1::Ack& ack) {
  metrics_.CountBatch(result, batch.events_size());
  if (result == BatchResult::kSeqGap) return;
  // Tally first: one counter update per kind and outcome, not one per event.
  std::array<std::array<int, IngestMetrics::kOutcomes>, IngestMetrics::kKinds> tally{};
  const auto settled = result == BatchResult::kDuplicate ? IngestMetrics::Outcome::kDuplicate
                                                         : IngestMetrics::Outcome::kAccepted;
  int next_rejection = 0;
  for (int i = 0; i < batch.events_size(); ++i) {
    const std::string_view kind = EventKindName(batch.events(i));
    auto outcome = settled;
    if (next_rejection < ack.rejected_size() &&
        ack.rejected(next_rejection).index() == static_cast<std::uint32_t>(i)) {
      metrics_.CountRejectedEvent(kind, ack.rejected(next_rejection).reason());
      outcome = IngestMetrics::Outcome::kRejected;
      ++next_rejection;
    }
    ++tally[static_cast<int>(IngestMetrics::KindOf(kind))][static_cast<int>(outcome)];
  }
  for (int k = 0; k < IngestMetrics::kKinds; ++k) {
    for (int o = 0; o < IngestMetrics::kOutcomes; ++o) {
      if (tally[k][o] > 0) {
        metrics_.CountEvents(static_cast<IngestMetrics::Kind>(k),
                             static_cast<IngestMetrics::Outcome>(o), tally[k][o]);
      }
    }
  }
}

}  // namespace atmwatch::ingest
