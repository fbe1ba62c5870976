#include "jetstream/in_flight_window.h"

#include <algorithm>

namespace atmwatch::jetstream {

std::size_t InFlightWindow::Acquire(std::size_t want) {
  std::unique_lock lock(mutex_);
  // Wait for room for a whole fetch rather than taking each freed slot: one
  // pull request per settled message would cost a round trip per batch.
  const std::size_t enough = std::max<std::size_t>(1, std::min(want, capacity_));
  changed_.wait(lock, [&] { return closed_ || capacity_ - in_flight_ >= enough; });
  if (closed_) return 0;
  const std::size_t granted = std::min(want, capacity_ - in_flight_);
  in_flight_ += granted;
  return granted;
}

void InFlightWindow::Release(std::size_t n) {
  if (n == 0) return;
  {
    std::lock_guard lock(mutex_);
    in_flight_ -= std::min(n, in_flight_);
  }
  changed_.notify_all();
}

void InFlightWindow::Close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

bool InFlightWindow::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return in_flight_ == 0; });
}

std::size_t InFlightWindow::in_flight() const {
  std::lock_guard lock(mutex_);
  return in_flight_;
}

}  // namespace atmwatch::jetstream
