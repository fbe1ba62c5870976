#include "jetstream/durable_consumer.h"

#include "jetstream/nats_connection.h"

namespace atmwatch::jetstream {
namespace {

std::string JsError(natsStatus status, jsErrCode code) {
  std::string text = NatsError(status);
  if (code != 0) text += ", JetStream error " + std::to_string(static_cast<int>(code));
  return text;
}

}  // namespace

Status DurableConsumer::Bind(jsCtx* js) {
  jsConsumerConfig config;
  jsConsumerConfig_Init(&config);
  config.Durable = settings_.name.c_str();
  config.FilterSubject = settings_.subject.c_str();
  config.DeliverPolicy = js_DeliverAll;  // a new shard starts at the stream's beginning
  config.AckPolicy = js_AckExplicit;
  config.AckWait = std::chrono::nanoseconds(settings_.ack_wait).count();
  config.MaxAckPending = static_cast<int64_t>(settings_.max_ack_pending);

  jsConsumerInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_AddConsumer(&info, js, settings_.stream.c_str(), &config, nullptr, &code);
  if (s != NATS_OK) {
    // Most likely it exists with other settings (a changed ack_wait).
    const std::string add_error = JsError(s, code);
    jsErrCode update_code = static_cast<jsErrCode>(0);
    s = js_UpdateConsumer(&info, js, settings_.stream.c_str(), &config, nullptr, &update_code);
    if (s != NATS_OK) {
      return Status::Error("consumer " + settings_.name + " of stream " + settings_.stream + ": " +
                           add_error);
    }
  }
  jsConsumerInfo_Destroy(info);

  jsSubOptions options;
  jsSubOptions_Init(&options);
  options.Stream = settings_.stream.c_str();
  options.Consumer = settings_.name.c_str();
  code = static_cast<jsErrCode>(0);
  s = js_PullSubscribe(&subscription_, js, settings_.subject.c_str(), settings_.name.c_str(),
                       nullptr, &options, &code);
  if (s != NATS_OK) {
    subscription_ = nullptr;
    return Status::Error("subscribing to consumer " + settings_.name + " of stream " +
                         settings_.stream + ": " + JsError(s, code));
  }
  return Status::Ok();
}

// libnats 3.4 (Debian 12) writes past the list it returns when, at the start
// of a fetch, more than half of the batch is already waiting in the
// subscription: messages of an earlier pull that arrived after its fetch had
// given up (nats.c #749, fixed upstream in 3.9). So a fetch of a whole batch
// never leaves anything behind (no_wait: the server answers at once with what
// it has), only a pull of one message ever waits, and whatever is left over
// is taken one message at a time.
natsStatus DurableConsumer::Fetch(int batch, std::chrono::milliseconds wait, natsMsgList* list) {
  int left_over = 0;
  natsSubscription_GetPending(subscription_, &left_over, nullptr);
  if (left_over == 0) {
    jsFetchRequest request;
    jsFetchRequest_Init(&request);
    request.Batch = batch;
    request.NoWait = true;
    request.Expires = std::chrono::nanoseconds(wait).count();
    const natsStatus s = natsSubscription_FetchRequest(list, subscription_, &request);
    // NATS_NOT_FOUND: the consumer has nothing to deliver right now.
    if (s != NATS_NOT_FOUND && s != NATS_TIMEOUT) return s;
  }
  return natsSubscription_Fetch(list, subscription_, 1, wait.count(), nullptr);
}

std::string DurableConsumer::delivery_subject() const {
  return subscription_ == nullptr ? "" : natsSubscription_GetSubject(subscription_);
}

void DurableConsumer::Unbind() {
  if (subscription_ != nullptr) retired_.push_back(subscription_);
  subscription_ = nullptr;
}

void DurableConsumer::Destroy() {
  Unbind();
  // Destroy, not Unsubscribe: the consumer stays on the server for the next run.
  for (natsSubscription* s : retired_) natsSubscription_Destroy(s);
  retired_.clear();
}

}  // namespace atmwatch::jetstream
