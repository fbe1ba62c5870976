#include "ingest/ingest_pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <future>

#include "engine/engine.h"
#include "events/event_kind.h"
#include "ingest/group_commit.h"

namespace atmwatch::ingest {

using metrics::IngestMetrics;

// A batch between sequencing and its ack.
struct IngestPipeline::Pending {
  std::unique_ptr<const DecodedBatch> decoded;
  Verdicts verdicts;         // per event of batch()
  std::size_t rejected = 0;  // verdicts that refuse their event
  enum class Kind { kApply, kDuplicate, kNextSeqQuery } kind = Kind::kApply;
  AckCallback done;

  const v1::Batch& batch() const { return decoded->batch(); }
};

namespace {

// An UNAVAILABLE answer names why the log refuses, like /readyz does.
std::string LogRefusal(const std::string& reason) {
  return reason.empty() ? "the write-ahead log cannot be written; retry"
                        : "the write-ahead log cannot be written: " + reason + "; retry";
}

}  // namespace

IngestPipeline::IngestPipeline(engine::Engine& engine, IngestMetrics& metrics,
                               PipelineLimits limits, Clock clock)
    : engine_(engine),
      metrics_(metrics),
      clock_(std::move(clock)),
      limits_(std::move(limits)),
      max_sources_(limits_.max_sources) {}

void IngestPipeline::SetLimits(const PipelineLimits& limits) {
  std::lock_guard lock(limits_mutex_);
  limits_ = limits;
  max_sources_ = limits.max_sources;
}

SourceFreshness IngestPipeline::Freshness() const {
  SourceFreshness freshness;
  std::lock_guard lock(seq_mutex_);
  freshness.last_batch_unix_ms.assign(last_batch_ms_.begin(), last_batch_ms_.end());
  freshness.sources = std::max(applied_.size(), last_batch_ms_.size());
  return freshness;
}

v1::Ack IngestPipeline::Unavailable(std::uint64_t seq, const std::string& why) {
  v1::Ack ack;
  ack.set_seq(seq);
  ack.set_error(v1::Ack::UNAVAILABLE);
  ack.set_error_detail(why);
  return ack;
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
  Submit(DecodedBatch::CopyOf(batch), std::move(done));
}

void IngestPipeline::Submit(std::unique_ptr<const DecodedBatch> decoded, AckCallback done) {
  const v1::Batch& batch = decoded->batch();
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
  GroupCommit* commit = commit_;
  if (commit == nullptr || !commit->healthy()) {
    metrics_.CountBatch(BatchResult::kUnavailable, batch.events_size());
    done(Unavailable(batch.seq(), commit == nullptr ? "the daemon is still recovering"
                                                    : LogRefusal(commit->last_error())));
    return;
  }
  // The stateless checks run before any lock, so connections validate in parallel.
  auto pending = std::make_shared<Pending>();
  pending->verdicts.reserve(batch.events_size());
  const std::int64_t now = clock_();
  for (const auto& event : batch.events()) {
    pending->verdicts.push_back(ValidateEvent(event, limits.events, now));
    if (pending->verdicts.back()) ++pending->rejected;
  }
  pending->decoded = std::move(decoded);
  pending->done = std::move(done);
  Sequence(*commit, std::move(pending));
}

void IngestPipeline::Sequence(GroupCommit& commit, std::shared_ptr<Pending> pending) {
  const v1::Batch& batch = pending->batch();
  GroupCommit::Entry entry;
  std::lock_guard lock(seq_mutex_);
  const auto found = reserved_.find(batch.source_id());
  const std::uint64_t expected = (found == reserved_.end() ? 0 : found->second) + 1;
  if (batch.seq() > expected) {
    v1::Ack ack;
    ack.set_seq(batch.seq());
    ack.set_error(v1::Ack::SEQ_GAP);
    ack.set_error_detail(fmt::format("seq {} skips ahead; source '{}' must send seq {} next",
                                     batch.seq(), batch.source_id(), expected));
    ack.set_next_seq(expected);
    metrics_.CountBatch(BatchResult::kSeqGap, batch.events_size());
    pending->done(ack);
    return;
  }
  if (batch.seq() == 0) {
    pending->kind = Pending::Kind::kNextSeqQuery;
  } else if (batch.seq() < expected) {
    pending->kind = Pending::Kind::kDuplicate;
  } else {
    reserved_[batch.source_id()] = batch.seq();
    // The log keeps the events that passed validation, so replay never
    // depends on the clock or the limits of the day it runs. When all
    // passed, that is the batch as it came in.
    if (pending->rejected == 0 && !pending->decoded->wire().empty()) {
      entry.record.assign(pending->decoded->wire());
    } else {
      v1::Batch record;
      record.set_source_id(batch.source_id());
      record.set_seq(batch.seq());
      for (int i = 0; i < batch.events_size(); ++i) {
        if (!pending->verdicts[i]) *record.add_events() = batch.events(i);
      }
      entry.record = record.SerializeAsString();
    }
  }
  // Every kind waits for the log: even a duplicate's ack promises that what
  // came before it is durable.
  entry.on_durable = [this, pending](bool durable) { OnDurable(*pending, durable); };
  if (!commit.Enqueue(std::move(entry))) {
    // The log went unhealthy after Submit looked. The reservation is undone
    // here, under the lock, so no later batch of this source gets queued
    // ahead of this one's retry.
    if (pending->kind == Pending::Kind::kApply) reserved_[batch.source_id()] = batch.seq() - 1;
    metrics_.CountBatch(BatchResult::kUnavailable, batch.events_size());
    pending->done(Unavailable(batch.seq(), LogRefusal(commit.last_error())));
  }
}

void IngestPipeline::OnDurable(Pending& pending, bool durable) {
  const v1::Batch& batch = pending.batch();
  if (!durable) {
    if (pending.kind == Pending::Kind::kApply) {
      std::lock_guard lock(seq_mutex_);
      auto& reserved = reserved_[batch.source_id()];
      reserved = std::min(reserved, batch.seq() - 1);
    }
    metrics_.CountBatch(BatchResult::kUnavailable, batch.events_size());
    GroupCommit* commit = commit_;
    pending.done(
        Unavailable(batch.seq(), LogRefusal(commit != nullptr ? commit->last_error() : "")));
    return;
  }
  // One engine lock for the batch's valid events, not one per event.
  std::vector<const v1::Envelope*> valid;
  if (pending.kind == Pending::Kind::kApply) {
    valid.reserve(batch.events_size() - pending.rejected);
    for (int i = 0; i < batch.events_size(); ++i) {
      if (!pending.verdicts[i]) valid.push_back(&batch.events(i));
    }
  }
  std::vector<std::optional<std::string_view>> refusals(valid.size());
  engine_.ApplyAll(valid, refusals);

  v1::Ack ack;
  ack.set_seq(batch.seq());
  std::size_t next_valid = 0;
  for (int i = 0; i < batch.events_size(); ++i) {
    const auto& verdict = pending.verdicts[i];
    if (verdict) {
      auto* rejection = ack.add_rejected();
      rejection->set_index(i);
      rejection->set_reason(std::string(verdict->reason));
      rejection->set_detail(verdict->detail);
    } else if (pending.kind == Pending::Kind::kDuplicate) {
      ack.set_duplicates(ack.duplicates() + 1);
    } else if (const auto refused = refusals[next_valid++]) {
      auto* rejection = ack.add_rejected();
      rejection->set_index(i);
      rejection->set_reason(std::string(*refused));
      rejection->set_detail(*refused == "line_cap"
                                ? "the line table is full (lines.max_lines)"
                                : "the unknown-ATM cap (ingest.max_unknown_atms) is reached");
    } else {
      ack.set_accepted(ack.accepted() + 1);
    }
  }
  {
    std::lock_guard lock(seq_mutex_);
    auto& applied = applied_[batch.source_id()];
    if (pending.kind == Pending::Kind::kApply) {
      applied = batch.seq();
      auto last = last_batch_ms_.find(batch.source_id());
      if (last != last_batch_ms_.end()) {
        last->second = clock_();
      } else if (last_batch_ms_.size() < max_sources_) {
        last_batch_ms_.emplace(batch.source_id(), clock_());
      }
    }
    ack.set_next_seq(applied + 1);
  }
  // CountOutcome walks the rejections alongside the events, so they must be
  // in index order, as the loop above adds them.
  CountOutcome(
      batch,
      pending.kind == Pending::Kind::kDuplicate ? BatchResult::kDuplicate : BatchResult::kApplied,
      ack);
  pending.done(ack);
}

void IngestPipeline::Replay(const v1::Batch& record) {
  std::lock_guard lock(seq_mutex_);
  auto& applied = applied_[record.source_id()];
  if (record.seq() <= applied) return;
  std::vector<const v1::Envelope*> events;
  events.reserve(record.events_size());
  for (const auto& event : record.events()) events.push_back(&event);
  std::vector<std::optional<std::string_view>> refusals(events.size());
  engine_.ApplyAll(events, refusals);
  applied = record.seq();
  reserved_[record.source_id()] = record.seq();
}

std::map<std::string, std::uint64_t> IngestPipeline::AppliedSeqs() const {
  std::lock_guard lock(seq_mutex_);
  return {applied_.begin(), applied_.end()};
}

void IngestPipeline::RestoreAppliedSeqs(const std::map<std::string, std::uint64_t>& seqs) {
  std::lock_guard lock(seq_mutex_);
  applied_ = {seqs.begin(), seqs.end()};
  reserved_ = applied_;
}

void IngestPipeline::CountOutcome(const v1::Batch& batch, BatchResult result, const v1::Ack& ack) {
  metrics_.CountBatch(result, batch.events_size());
  // Tally first: one counter update per kind and outcome, not one per event.
  std::array<std::array<int, IngestMetrics::kOutcomes>, events::kEventKinds.size()> tally{};
  const auto settled = result == BatchResult::kDuplicate ? IngestMetrics::Outcome::kDuplicate
                                                         : IngestMetrics::Outcome::kAccepted;
  int next_rejection = 0;
  for (int i = 0; i < batch.events_size(); ++i) {
    const events::EventKind kind = events::KindOf(batch.events(i));
    auto outcome = settled;
    if (next_rejection < ack.rejected_size() &&
        ack.rejected(next_rejection).index() == static_cast<std::uint32_t>(i)) {
      metrics_.CountRejectedEvent(kind, ack.rejected(next_rejection).reason());
      outcome = IngestMetrics::Outcome::kRejected;
      ++next_rejection;
    }
    ++tally[events::Index(kind)][static_cast<int>(outcome)];
  }
  for (events::EventKind kind : events::kEventKinds) {
    for (int o = 0; o < IngestMetrics::kOutcomes; ++o) {
      if (const int n = tally[events::Index(kind)][o]; n > 0) {
        metrics_.CountEvents(kind, static_cast<IngestMetrics::Outcome>(o), n);
      }
    }
  }
}

}  // namespace atmwatch::ingest
