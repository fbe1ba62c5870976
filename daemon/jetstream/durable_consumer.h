#pragma once

#include <nats/nats.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"

namespace atmwatch::jetstream {

struct ConsumerSettings {
  std::string stream;
  std::string name;     // ConsumerName(durable, subject)
  std::string subject;  // the consumer's filter subject
  std::chrono::milliseconds ack_wait{30000};
  std::size_t max_ack_pending = 256;
};

// One durable pull consumer on the server and this process's subscription
// to it. The consumer is created explicitly (or updated when its settings
// changed) and then bound: a consumer the client library created itself
// would be deleted with the subscription, and with it the position in the
// stream a restarted daemon must resume from.
//
// Used by one fetch thread; Destroy only once no message fetched through it
// is still waiting for its ack (acks go through the subscription).
class DurableConsumer {
 public:
  explicit DurableConsumer(ConsumerSettings settings) : settings_(std::move(settings)) {}
  ~DurableConsumer() { Destroy(); }
  DurableConsumer(const DurableConsumer&) = delete;
  DurableConsumer& operator=(const DurableConsumer&) = delete;

  const ConsumerSettings& settings() const { return settings_; }
  bool bound() const { return subscription_ != nullptr; }

  // Creates or updates the consumer and subscribes to it. The error names
  // the consumer and what the server said (e.g. no such stream).
  Status Bind(jsCtx* js);
  // Up to `batch` messages, waiting up to `wait` for the first; NATS_TIMEOUT
  // when none came. The caller owns the messages in `list` (natsMsgList_Destroy).
  natsStatus Fetch(int batch, std::chrono::milliseconds wait, natsMsgList* list);
  // The inbox the server delivers this consumer's messages to ("" unbound).
  std::string delivery_subject() const;
  // Gives up the subscription after errors so that the next Bind starts
  // afresh; it is kept (not destroyed) until Destroy because messages fetched
  // through it may still be waiting for their ack.
  void Unbind();
  void Destroy();

 private:
  ConsumerSettings settings_;
  natsSubscription* subscription_ = nullptr;
  std::vector<natsSubscription*> retired_;
};

}  // namespace atmwatch::jetstream
