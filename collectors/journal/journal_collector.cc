#include "journal/journal_collector.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "journal/state_file.h"

namespace atmwatch::journal {
namespace {

using namespace std::chrono_literals;

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

std::uint64_t BatchesFor(std::size_t events, std::uint64_t batch_events) {
  return (events + batch_events - 1) / batch_events;
}

}  // namespace

JournalCollector::JournalCollector(CollectorOptions options, JournalMetrics& metrics,
                                   const std::atomic<bool>& stop)
    : options_(std::move(options)),
      metrics_(metrics),
      stop_(stop),
      files_(options_.pattern),
      malformed_log_(10, 10s),
      rejected_log_(5, 10s) {}

JournalCollector::~JournalCollector() = default;

Status JournalCollector::Start() {
  bool exists = false;
  if (Status status = ReadStateFile(options_.state_file, &state_, &exists); !status.ok()) {
    return status;
  }
  if (exists && state_.source_id != options_.ingest.source_id) {
    return Status::Error(options_.state_file + " belongs to source '" + state_.source_id +
                         "', not '" + options_.ingest.source_id + "'; run with --source-id " +
                         state_.source_id + " or give this source its own --state-file");
  }
  if (!exists) {
    state_.source_id = options_.ingest.source_id;
    if (!AskNextSeq(&state_.next_seq)) return Status::Ok();  // stopped while waiting
    spdlog::info("journal: no state file yet; source '{}' starts at seq {}",
                 options_.ingest.source_id, state_.next_seq);
  }
  for (const std::string& missing : files_.Restore(state_.files)) {
    spdlog::warn("journal: {} is gone; lines written to it after that offset are lost", missing);
  }
  const ScanCounts counts = files_.Scan();
  metrics_.CountRotations(counts.rotations);
  metrics_.CountTruncations(counts.truncations);
  spdlog::info("journal: following {} files matching {} as '{}', next seq {}", files_.size(),
               options_.pattern, options_.ingest.source_id, state_.next_seq);
  if (!state_.pending) return Status::Ok();

  Round round;
  if (!RebuildRound(*state_.pending, &round)) return AbandonPending();
  spdlog::info(
      "journal: resending seqs {}..{} that a stop interrupted; what the daemon already "
      "applied comes back as duplicates",
      round.plan.first_seq, round.plan.first_seq + round.plan.batches - 1);
  return Commit(round);
}

Status JournalCollector::Run() {
  while (!stop_.load()) {
    const ScanCounts counts = files_.Scan();
    metrics_.CountRotations(counts.rotations);
    metrics_.CountTruncations(counts.truncations);
    Round round;
    const bool read_something = BuildRound(&round);
    if (read_something) {
      if (Status status = Commit(round); !status.ok()) return status;
    }
    files_.DropFinished(1s);
    UpdateGauges();
    if (!read_something) Sleep(options_.poll_interval);
  }
  spdlog::info("journal: stopped at seq {}; every line read was acknowledged", state_.next_seq);
  return Status::Ok();
}

bool JournalCollector::BuildRound(Round* round) {
  std::size_t budget = options_.batch_events * options_.max_in_flight;
  round->plan.first_seq = state_.next_seq;
  round->plan.batch_events = options_.batch_events;
  for (JournalFile* file : files_.ReadOrder()) {
    if (budget == 0) break;
    if (file->progress.offset >= file->size) continue;
    LineLimits limits;
    limits.max_lines = budget;
    std::size_t lines = 0;
    if (Status status = ReadSegment(file, limits, round, &lines); !status.ok()) {
      spdlog::warn("journal: {}: {}; trying again next poll", file->progress.path,
                   status.message());
      continue;
    }
    budget -= lines;
  }
  round->plan.batches = BatchesFor(round->events.size(), round->plan.batch_events);
  return !round->ends.empty();
}

bool JournalCollector::RebuildRound(const PendingRound& plan, Round* round) {
  round->plan = plan;
  for (const Segment& segment : plan.segments) {
    JournalFile* file = files_.Find(segment.key);
    if (file == nullptr || file->progress.offset != segment.begin || file->size < segment.end) {
      return false;
    }
    LineLimits limits;
    limits.stop_at = segment.end;
    std::size_t lines = 0;
    if (!ReadSegment(file, limits, round, &lines).ok() ||
        round->ends.back().offset != segment.end) {
      return false;
    }
  }
  return BatchesFor(round->events.size(), plan.batch_events) == plan.batches;
}

Status JournalCollector::ReadSegment(JournalFile* file, const LineLimits& limits, Round* round,
                                     std::size_t* lines) {
  if (file->progress.offset > 0 && !file->header_read) {
    if (Status status = LoadHeader(file); !status.ok()) return status;
  }
  std::uint64_t line_number = file->progress.lines;
  std::uint64_t data_lines = 0;
  std::uint64_t end = file->progress.offset;
  Status status = ReadCompleteLines(
      file->fd, file->progress.offset, limits,
      [&](std::string_view line, bool too_long) {
        ++*lines;
        if (++line_number == 1) {
          AcceptHeaderLine(file, line, too_long);
          if (!file->header) {
            spdlog::error(
                "journal: {}:1: the header does not parse: {}; its lines are counted "
                "as malformed (bad_header)",
                file->progress.path, file->header_error);
          }
          return;
        }
        ++data_lines;
        if (too_long) return ReportMalformed(*file, line_number, {"line_too_long", ""});
        if (IsBlank(line)) return;
        if (!file->header) {
          return ReportMalformed(*file, line_number, {"bad_header", file->header_error});
        }
        Result<v1::Envelope, LineError> event = ParseJournalLine(line, *file->header);
        if (!event.ok()) return ReportMalformed(*file, line_number, event.error());
        round->events.push_back(std::move(event).value());
      },
      &end);
  metrics_.CountLinesRead(data_lines);
  if (!status.ok() || end == file->progress.offset) return status;
  round->plan.segments.push_back({file->progress.key, file->progress.offset, end});
  FileProgress after = file->progress;
  after.offset = end;
  after.lines = line_number;
  round->ends.push_back(std::move(after));
  return status;
}

void JournalCollector::ReportMalformed(const JournalFile& file, std::uint64_t line,
                                       const LineError& error) {
  metrics_.CountMalformed(error.reason);
  const auto now = LogLimiter::Clock::now();
  if (!malformed_log_.Allow(now)) return;
  if (const std::uint64_t held = malformed_log_.TakeSuppressed(); held > 0) {
    spdlog::warn("journal: {} more malformed lines were not logged", held);
  }
  spdlog::warn("journal: {}:{}: {}{}{}; skipped", file.progress.path, line, error.reason,
               error.detail.empty() ? "" : ": ", error.detail);
}

Status JournalCollector::Commit(Round& round) {
  if (!round.events.empty()) {
    state_.pending = round.plan;
    state_.files = files_.Progress();
    if (Status status = WriteStateFile(options_.state_file, state_); !status.ok()) return status;
    if (!SendUntilAcked(round)) return Status::Ok();  // stopping; the pending round stays
  }
  for (const FileProgress& end : round.ends) {
    if (JournalFile* file = files_.Find(end.key)) file->progress = end;
  }
  state_.next_seq = round.plan.first_seq + round.plan.batches;
  state_.pending.reset();
  state_.files = files_.Progress();
  return WriteStateFile(options_.state_file, state_);
}

bool JournalCollector::SendUntilAcked(const Round& round) {
  auto backoff = 500ms;
  for (;;) {
    if (client_ != nullptr && client_->next_seq() != round.plan.first_seq) client_.reset();
    if (client_ == nullptr) {
      client_ = std::make_unique<client::IngestClient>(
          IngestOptions(round.plan.first_seq, round.plan.batch_events),
          [this](const v1::Batch& batch, const v1::Ack& ack) { OnAck(batch, ack); });
    }
    Status status;
    for (const v1::Envelope& event : round.events) {
      if (status = client_->Add(event); !status.ok()) break;
    }
    if (status.ok()) status = client_->Flush();
    metrics_.CountSent(round.events.size());
    if (status.ok()) {
      NoteAccepted();
      return true;
    }
    const bool refused = client_->refusal() == v1::Ack::UNAUTHENTICATED;
    client_.reset();
    if (refused) {
      NoteRefusal(status);
    } else {
      metrics_.CountSendFailure();
      spdlog::warn("journal: seqs {}..{} not acknowledged: {}; resending in {} ms",
                   round.plan.first_seq, round.plan.first_seq + round.plan.batches - 1,
                   status.message(), backoff.count());
    }
    UpdateGauges();  // the gauges show what waits while the daemon does not take it
    Sleep(backoff);
    if (stop_.load()) return false;
    backoff = std::min(backoff * 2, std::chrono::milliseconds(10s));
  }
}

// A pending round whose bytes cannot be read back (its file was deleted or
// truncated while the collector was down). The daemon says how much of it
// was applied; the files still there are moved past the round only if some
// of it was, so nothing present is counted twice.
Status JournalCollector::AbandonPending() {
  const PendingRound plan = *state_.pending;
  std::uint64_t next_seq = 0;
  if (!AskNextSeq(&next_seq)) return Status::Ok();
  const bool applied = next_seq > plan.first_seq;
  if (applied) {
    for (const Segment& segment : plan.segments) {
      JournalFile* file = files_.Find(segment.key);
      if (file == nullptr || file->progress.offset != segment.begin) continue;
      Round skipped;
      LineLimits limits;
      limits.stop_at = segment.end;
      std::size_t lines = 0;
      if (ReadSegment(file, limits, &skipped, &lines).ok() && !skipped.ends.empty()) {
        file->progress = skipped.ends.back();
      }
    }
  }
  spdlog::error(
      "journal: the interrupted round (seqs {}..{}) cannot be read back: a file of it is gone "
      "or was truncated; the daemon expects seq {}, so {}",
      plan.first_seq, plan.first_seq + plan.batches - 1, next_seq,
      applied ? "its remaining files continue after the round (lines of the round the daemon "
                "had not applied are lost)"
              : "nothing of it was applied and its remaining files are read again");
  state_.next_seq = next_seq;
  state_.pending.reset();
  state_.files = files_.Progress();
  return WriteStateFile(options_.state_file, state_);
}

// The empty seq-0 Batch asks the daemon which seq it expects next from this
// source. A collector without a state file needs it before it writes down
// its first round: numbering from 1 would turn a reused source id's new
// lines into "duplicates".
bool JournalCollector::AskNextSeq(std::uint64_t* next_seq) {
  for (auto backoff = 500ms; !stop_.load(); backoff = std::min(backoff * 2, 10000ms)) {
    client::IngestClient client(IngestOptions(0, options_.batch_events));
    const Status status = client.Connect();
    if (status.ok()) {
      NoteAccepted();
      *next_seq = client.next_seq();
      return true;
    }
    if (client.refusal() == v1::Ack::UNAUTHENTICATED) {
      NoteRefusal(status);
    } else {
      spdlog::warn("journal: cannot ask the daemon for the next seq: {}; retrying in {} ms",
                   status.message(), backoff.count());
    }
    Sleep(backoff);
  }
  return false;
}

client::ClientOptions JournalCollector::IngestOptions(std::uint64_t first_seq,
                                                      std::size_t batch_events) const {
  client::ClientOptions options = client::ClientOptionsFor(options_.ingest);
  options.max_batch_events = batch_events;
  options.max_in_flight = options_.max_in_flight;
  options.first_seq = first_seq;
  options.ack_timeout = 10s;
  options.give_up_after = 5s;
  return options;
}

void JournalCollector::NoteRefusal(const Status& status) {
  metrics_.CountRefusal();
  if (refused_attempts_++ > 0) return;  // one line per refusal, not per attempt
  spdlog::error(
      "journal: {} (UNAUTHENTICATED: this collector's certificate or token is not one the "
      "daemon's ingest.sources binds to the source); keeping the file offsets where they are "
      "and trying again every 10 s at most. Fix ingest.tls / ingest.token_file here, or the "
      "daemon's config and SIGHUP it; attempts are counted in "
      "atmwatch_collector_daemon_refusals_total{{collector=\"journal\"}}",
      status.message());
}

void JournalCollector::NoteAccepted() {
  if (refused_attempts_ == 0) return;
  spdlog::info("journal: the daemon accepts source '{}' again, after {} refused attempts",
               options_.ingest.source_id, refused_attempts_);
  refused_attempts_ = 0;
}

void JournalCollector::OnAck(const v1::Batch& batch, const v1::Ack& ack) {
  metrics_.CountAck(ack.accepted(), ack.duplicates());
  metrics_.SetLastAckNow();
  if (ack.error() == v1::Ack::INVALID_BATCH) {
    for (int i = 0; i < batch.events_size(); ++i) metrics_.CountRejected("invalid_batch");
    spdlog::error("journal: the daemon refused batch {} whole: {}", batch.seq(),
                  ack.error_detail());
    return;
  }
  for (const v1::Rejection& rejection : ack.rejected()) metrics_.CountRejected(rejection.reason());
  if (ack.rejected_size() > 0 && rejected_log_.Allow(LogLimiter::Clock::now())) {
    const v1::Rejection& first = ack.rejected(0);
    spdlog::warn("journal: the daemon rejected {} events of batch {}, e.g. event {}: {}: {}",
                 ack.rejected_size(), batch.seq(), first.index(), first.reason(), first.detail());
  }
}

void JournalCollector::Sleep(std::chrono::milliseconds duration) const {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (!stop_.load() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        20ms, until - std::chrono::steady_clock::now()));
  }
}

void JournalCollector::UpdateGauges() {
  metrics_.SetFilesFollowed(files_.size());
  metrics_.SetBytesBehind(files_.BytesBehind());
}

}  // namespace atmwatch::journal
