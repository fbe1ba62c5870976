#pragma once

#include <nats/nats.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

#include "jetstream/settlement.h"

namespace atmwatch::jetstream {

// A message whose batch the pipeline has answered, waiting to be acked or
// naked.
struct Settling {
  natsMsg* message = nullptr;
  std::size_t subject = 0;  // index into the configured subjects
  Settlement settlement = Settlement::kApplied;
};

// Hands answered messages from the group commit's apply thread (where its
// callbacks run, and where nothing may wait on the network) to the thread
// that acks them. Shared by the callbacks, so a callback that comes after
// the source stopped still finds it.
//
// Thread-safe.
class SettleQueue {
 public:
  // False once closed: the caller then still owns the message.
  bool Push(Settling settling);
  // The next message, waiting for one; nothing once closed and drained.
  std::optional<Settling> Pop();
  void Close();

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Settling> queue_;
  bool closed_ = false;
};

}  // namespace atmwatch::jetstream
