#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "radius/radius_packet.h"

// Duplicate detection for retransmitted Accounting-Requests (RFC 5080 §2.2.2):
// a NAS that hears no response sends the same packet again, same identifier
// and authenticator. A request is pending from its arrival until the daemon
// acknowledged its events; then it is answered and its response is kept for
// `window`, so that a late retransmit gets the same response again instead of
// producing a second event.
//
// Pending entries are never expired here: the collector forgets them itself
// when their events are lost. Answered entries go after `window`, and the
// oldest go first when more than `max_answered` are kept.
//
// Not thread-safe: the collector uses it from its network thread only.
namespace atmwatch::radius {

struct RequestKey {
  std::uint32_t client = 0;  // index of the configured client
  std::uint8_t identifier = 0;
  Authenticator authenticator{};

  bool operator==(const RequestKey&) const = default;
};

class RecentRequests {
 public:
  using Clock = std::chrono::steady_clock;

  RecentRequests(std::chrono::milliseconds window, std::size_t max_answered)
      : window_(window), max_answered_(max_answered) {}

  enum class Seen : std::uint8_t { kNew, kPending, kAnswered };

  // For kAnswered, `*response` points at the kept response until the next
  // call of a non-const method.
  Seen Find(const RequestKey& key, const std::vector<std::uint8_t>** response) const;

  void AddPending(const RequestKey& key);
  void Answer(const RequestKey& key, std::vector<std::uint8_t> response, Clock::time_point now);
  void Forget(const RequestKey& key);
  // Drops answered entries older than the window or beyond the cap.
  void Expire(Clock::time_point now);

  std::size_t size() const { return entries_.size(); }

 private:
  struct KeyHash {
    std::size_t operator()(const RequestKey& key) const;
  };
  struct Entry {
    bool answered = false;
    Clock::time_point answered_at;
    std::vector<std::uint8_t> response;
  };
  struct Answered {
    RequestKey key;
    Clock::time_point at;
  };

  std::chrono::milliseconds window_;
  std::size_t max_answered_;
  std::unordered_map<RequestKey, Entry, KeyHash> entries_;
  // In answer order; an item whose entry was forgotten or answered again
  // since is stale and skipped.
  std::deque<Answered> answered_order_;
};

}  // namespace atmwatch::radius
