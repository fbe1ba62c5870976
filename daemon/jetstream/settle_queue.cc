#include "jetstream/settle_queue.h"

namespace atmwatch::jetstream {

bool SettleQueue::Push(Settling settling) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    queue_.push_back(settling);
  }
  ready_.notify_one();
  return true;
}

std::optional<Settling> SettleQueue::Pop() {
  std::unique_lock lock(mutex_);
  ready_.wait(lock, [&] { return closed_ || !queue_.empty(); });
  if (queue_.empty()) return std::nullopt;
  Settling next = queue_.front();
  queue_.pop_front();
  return next;
}

void SettleQueue::Close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

}  // namespace atmwatch::jetstream
