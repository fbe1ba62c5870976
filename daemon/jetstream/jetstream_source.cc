#include "jetstream/jetstream_source.h"

#include <spdlog/spdlog.h>

#include "jetstream/consumer_name.h"

namespace atmwatch::jetstream {
namespace {

// Fetch errors in a row, while connected, after which the consumer is bound
// again (e.g. it was deleted on the server).
constexpr int kRebindAfterErrors = 5;
constexpr std::chrono::milliseconds kErrorPause{250};

}  // namespace

JetStreamSource::JetStreamSource(SourceOptions options, Submit submit, JetStreamMetrics& metrics)
    : options_(std::move(options)),
      submit_(std::move(submit)),
      metrics_(metrics),
      connection_(metrics),
      window_(options_.max_in_flight) {
  for (const auto& subject : options_.subjects) {
    Lane lane;
    lane.consumer = std::make_unique<DurableConsumer>(
        ConsumerSettings{.stream = options_.stream,
                         .name = ConsumerName(options_.durable, subject),
                         .subject = subject,
                         .ack_wait = options_.ack_wait,
                         .max_ack_pending = options_.max_in_flight});
    lanes_.push_back(std::move(lane));
  }
}

Status JetStreamSource::Start() {
  if (Status s = connection_.Open(options_.cluster, "atmwatchd " + options_.durable); !s.ok()) {
    connection_.Close();
    return s;
  }
  started_ = true;
  settler_ = std::thread([this] { SettleLoop(); });
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    fetchers_.emplace_back([this, i] { FetchLoop(i); });
  }
  return Status::Ok();
}

void JetStreamSource::Stop() {
  if (!started_) return;
  started_ = false;
  {
    std::lock_guard lock(pause_mutex_);
    stopping_ = true;
  }
  pause_.notify_all();
  window_.Close();
  for (auto& fetcher : fetchers_) fetcher.join();
  fetchers_.clear();

  const std::size_t in_flight = window_.in_flight();
  if (!window_.WaitIdle(options_.drain_timeout)) {
    spdlog::warn(
        "jetstream: {} of {} batches still unanswered after {} s; JetStream redelivers them "
        "after ack_wait",
        window_.in_flight(), in_flight, options_.drain_timeout.count() / 1000);
  }
  settle_queue_->Close();
  settler_.join();
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    lanes_[i].consumer->Destroy();
    metrics_.SetConsumerReady(i, false);
  }
  connection_.Close();  // flushes the last acks first
  spdlog::info("jetstream: stopped consuming");
}

void JetStreamSource::Pause(std::chrono::milliseconds duration) {
  std::unique_lock lock(pause_mutex_);
  pause_.wait_for(lock, duration, [&] { return stopping_.load(); });
}

bool JetStreamSource::EnsureBound(std::size_t subject) {
  Lane& lane = lanes_[subject];
  if (lane.consumer->bound()) return true;
  // Binding while disconnected can only fail; the disconnect is logged once
  // already.
  if (!connection_.connected()) return false;
  const auto& settings = lane.consumer->settings();
  if (Status s = lane.consumer->Bind(connection_.js()); !s.ok()) {
    if (!lane.bind_failure_logged) {
      spdlog::warn("jetstream: {}: cannot consume {}: {}; retrying every {} ms", settings.subject,
                   settings.name, s.message(), options_.retry_interval.count());
      lane.bind_failure_logged = true;
    }
    return false;
  }
  spdlog::info("jetstream: consuming {} from stream {} as durable consumer {}", settings.subject,
               settings.stream, settings.name);
  lane.bind_failure_logged = false;
  lane.fetch_errors = 0;
  metrics_.SetConsumerReady(subject, true);
  return true;
}

void JetStreamSource::FetchLoop(std::size_t subject) {
  Lane& lane = lanes_[subject];
  while (!stopping_) {
    if (!EnsureBound(subject)) {
      Pause(options_.retry_interval);
      continue;
    }
    const std::size_t room = window_.Acquire(options_.fetch_batch);
    if (room == 0) break;  // stopping
    natsMsgList list{};
    const natsStatus s = lane.consumer->Fetch(static_cast<int>(room), options_.fetch_wait, &list);
    const std::size_t count = s == NATS_OK ? static_cast<std::size_t>(list.Count) : 0;
    window_.Release(room - count);
    if (s == NATS_TIMEOUT) {
      // Nothing to deliver: the consumer has caught up with its subject.
      if (connection_.connected()) metrics_.SetPending(subject, 0);
      continue;
    }
    if (s != NATS_OK) {
      OnFetchError(subject, s);
      continue;
    }
    lane.fetch_errors = 0;
    for (int i = 0; i < list.Count; ++i) {
      natsMsg* message = list.Msgs[i];
      list.Msgs[i] = nullptr;  // ours now; natsMsgList_Destroy leaves it alone
      Deliver(subject, message);
    }
    natsMsgList_Destroy(&list);
    metrics_.SetInFlight(static_cast<double>(window_.in_flight()));
  }
}

void JetStreamSource::OnFetchError(std::size_t subject, natsStatus status) {
  Lane& lane = lanes_[subject];
  if (connection_.connected() && ++lane.fetch_errors >= kRebindAfterErrors) {
    spdlog::warn("jetstream: {}: fetching from {} keeps failing ({}); binding it again",
                 lane.consumer->settings().subject, lane.consumer->settings().name,
                 NatsError(status));
    lane.consumer->Unbind();
    metrics_.SetConsumerReady(subject, false);
    lane.fetch_errors = 0;
  }
  Pause(kErrorPause);
}

void JetStreamSource::Deliver(std::size_t subject, natsMsg* message) {
  jsMsgMetaData* meta = nullptr;
  bool redelivered = false;
  if (natsMsg_GetMetaData(&meta, message) == NATS_OK) {
    redelivered = meta->NumDelivered > 1;
    metrics_.SetPending(subject, static_cast<double>(meta->NumPending));
    jsMsgMetaData_Destroy(meta);
  }
  metrics_.Received(subject, redelivered);

  // Parsed with its bytes kept: a batch whose events all pass validation
  // is logged as the message payload, as TCP frames are.
  auto batch = ingest::DecodedBatch::Parse(std::string_view(
      natsMsg_GetData(message), static_cast<std::size_t>(natsMsg_GetDataLength(message))));
  if (!batch) {
    settle_queue_->Push({message, subject, Settlement::kUndecodable});
    return;
  }
  // Runs on the group commit's apply thread: hand over and return. After Stop the
  // queue is closed and the message is only freed; JetStream redelivers it.
  submit_(std::move(batch), [queue = settle_queue_, message, subject](const v1::Ack& ack) {
    if (!queue->Push({message, subject, SettlementOf(ack)})) natsMsg_Destroy(message);
  });
}

void JetStreamSource::SettleLoop() {
  const int64_t nak_delay_ms = options_.nak_delay.count();
  while (auto next = settle_queue_->Pop()) {
    const natsStatus s = IsAck(next->settlement)
                             ? natsMsg_Ack(next->message, nullptr)
                             : natsMsg_NakWithDelay(next->message, nak_delay_ms, nullptr);
    if (s == NATS_OK) {
      metrics_.Settled(next->subject, next->settlement);
    } else {
      metrics_.SettleFailed(next->subject);
    }
    natsMsg_Destroy(next->message);
    window_.Release(1);
    metrics_.SetInFlight(static_cast<double>(window_.in_flight()));
  }
}

}  // namespace atmwatch::jetstream
