#include "radius/event_forwarder.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace atmwatch::radius {
namespace {

// Retries of a refused round: often enough to resume soon after the
// daemon's config is fixed, rarely enough to stay out of its log.
constexpr std::chrono::milliseconds kRefusedRetryFirst{500};
constexpr std::chrono::milliseconds kRefusedRetryMax{10000};

}  // namespace

EventForwarder::EventForwarder(client::ClientOptions options, std::size_t capacity,
                               Callbacks callbacks)
    : options_(std::move(options)), capacity_(capacity), callbacks_(std::move(callbacks)) {
  client_ = NewClient();
  thread_ = std::thread([this] { Run(); });
}

EventForwarder::~EventForwarder() {
  RequestStop();
  thread_.join();
}

std::unique_ptr<client::IngestClient> EventForwarder::NewClient() {
  return std::make_unique<client::IngestClient>(
      options_, [this](const v1::Batch& batch, const v1::Ack& ack) { HandleAck(batch, ack); });
}

void EventForwarder::Enqueue(std::vector<Item> items) {
  if (items.empty()) return;
  outstanding_ += items.size();
  {
    std::lock_guard lock(mutex_);
    for (Item& item : items) queue_.push_back(std::move(item));
  }
  wakeup_.notify_one();
}

void EventForwarder::RequestStop() {
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
  }
  wakeup_.notify_one();
}

bool EventForwarder::WaitStopped(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return stopped_cv_.wait_until(lock, deadline, [this] { return stopped_; });
}

void EventForwarder::Run() {
  for (;;) {
    std::vector<Item> items;
    {
      std::unique_lock lock(mutex_);
      wakeup_.wait(lock, [this] { return !queue_.empty() || stop_requested_; });
      if (queue_.empty()) break;
      items.swap(queue_);
    }
    Forward(std::move(items));
  }
  if (callbacks_.on_stopped) callbacks_.on_stopped();
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  stopped_cv_.notify_all();
}

// One round: everything that queued up while the previous round waited for
// its acks goes out together, so batches grow with the load and each event
// waits for about one group commit of the daemon.
void EventForwarder::Forward(std::vector<Item> items) {
  std::size_t next = 0;  // items[next] on are not in the client yet
  Status status;
  for (auto delay = kRefusedRetryFirst;; delay = std::min(delay * 2, kRefusedRetryMax)) {
    status = Send(items, &next);
    if (status.ok()) {
      if (refused_attempts_ > 0) {
        spdlog::info("radius: the daemon accepts source '{}' again, after {} refused attempts",
                     options_.source_id, refused_attempts_);
        refused_attempts_ = 0;
      }
      return;
    }
    if (client_->refusal() != v1::Ack::UNAUTHENTICATED) break;
    NoteRefusal(status, sent_.size() + items.size() - next);
    if (!WaitBeforeRetry(delay)) break;
  }
  std::vector<std::uint64_t> not_sent;
  for (; next < items.size(); ++next) not_sent.push_back(items[next].request_id);
  spdlog::error(
      "radius: forwarding to the daemon at {} failed: {}; {} events are lost to this "
      "collector (their NASes will retransmit), starting over",
      options_.address, status.message(), sent_.size() + not_sent.size());
  LoseUnacknowledged(std::move(not_sent));
}

// Hands items[*next...] to the client and waits for their acks. What an
// earlier refused attempt left in the client goes out first, in order.
Status EventForwarder::Send(std::vector<Item>& items, std::size_t* next) {
  if (Status status = client_->Flush(); !status.ok()) return status;
  while (*next < items.size()) {
    Item& item = items[(*next)++];
    sent_.push_back(item.request_id);
    if (Status status = client_->Add(std::move(item.event)); !status.ok()) return status;
  }
  return client_->Flush();
}

void EventForwarder::NoteRefusal(const Status& status, std::size_t held) {
  if (callbacks_.on_refused) callbacks_.on_refused();
  if (refused_attempts_++ > 0) return;  // one line per refusal, not per attempt
  spdlog::error(
      "radius: {} (UNAUTHENTICATED: this collector's certificate or token is not one the "
      "daemon's ingest.sources binds to the source); keeping its events ({} now) unanswered "
      "and trying again every {} s at most. Fix ingest.tls / ingest.token_file here, or the "
      "daemon's config and SIGHUP it; attempts are counted in "
      "atmwatch_collector_daemon_refusals_total{{collector=\"radius\"}}",
      status.message(), held, kRefusedRetryMax.count() / 1000);
}

// False when a stop was requested meanwhile.
bool EventForwarder::WaitBeforeRetry(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !wakeup_.wait_for(lock, delay, [this] { return stop_requested_; });
}

void EventForwarder::LoseUnacknowledged(std::vector<std::uint64_t> not_sent) {
  std::vector<std::uint64_t> lost(sent_.begin(), sent_.end());
  lost.insert(lost.end(), not_sent.begin(), not_sent.end());
  sent_.clear();
  client_ = NewClient();
  outstanding_ -= lost.size();
  if (callbacks_.on_lost) callbacks_.on_lost(std::move(lost));
}

void EventForwarder::HandleAck(const v1::Batch& batch, const v1::Ack& ack) {
  Acknowledged acknowledged;
  acknowledged.accepted = ack.accepted();
  acknowledged.duplicates = ack.duplicates();
  const std::size_t n = static_cast<std::size_t>(batch.events_size());
  acknowledged.events.resize(n);
  // The client sends events in the order they were added and acknowledges
  // batches in order, so a batch's events are the oldest ones still held.
  for (Outcome& outcome : acknowledged.events) {
    outcome.request_id = sent_.front();
    sent_.pop_front();
  }
  if (ack.error() == v1::Ack::INVALID_BATCH) {
    for (Outcome& outcome : acknowledged.events) {
      outcome.rejected = true;
      outcome.reason = "invalid_batch";
    }
  }
  for (const v1::Rejection& rejection : ack.rejected()) {
    if (rejection.index() >= n) continue;
    acknowledged.events[rejection.index()].rejected = true;
    acknowledged.events[rejection.index()].reason = rejection.reason();
  }
  outstanding_ -= n;
  if (callbacks_.on_acknowledged) callbacks_.on_acknowledged(std::move(acknowledged));
}

}  // namespace atmwatch::radius
