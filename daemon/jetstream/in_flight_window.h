#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace atmwatch::jetstream {

// Bounds the batches taken from JetStream and not yet settled (acked or
// naked), so a consumer far behind its stream cannot queue the whole
// backlog in memory ahead of the write-ahead log.
//
// Thread-safe. Fetch threads Acquire before asking for messages; the thread
// that settles a message Releases its slot.
class InFlightWindow {
 public:
  explicit InFlightWindow(std::size_t capacity) : capacity_(capacity) {}

  // Blocks until `want` slots are free (or all of them, when `want` is more
  // than the capacity), reserves them and returns how many; 0 once Close was
  // called.
  std::size_t Acquire(std::size_t want);
  void Release(std::size_t n);
  // Wakes every Acquire, which returns 0 from now on.
  void Close();
  // True once nothing is in flight; false at the deadline.
  bool WaitIdle(std::chrono::milliseconds timeout);
  std::size_t in_flight() const;

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t in_flight_ = 0;
  bool closed_ = false;
};

}  // namespace atmwatch::jetstream
