#include "radius/recent_requests.h"

#include <cstring>

namespace atmwatch::radius {

std::size_t RecentRequests::KeyHash::operator()(const RequestKey& key) const {
  // The authenticator is an MD5 digest: any 8 of its octets spread well.
  std::uint64_t bits = 0;
  std::memcpy(&bits, key.authenticator.data(), sizeof bits);
  return static_cast<std::size_t>(bits ^ (std::uint64_t{key.client} << 8 | key.identifier));
}

RecentRequests::Seen RecentRequests::Find(const RequestKey& key,
                                          const std::vector<std::uint8_t>** response) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return Seen::kNew;
  if (!it->second.answered) return Seen::kPending;
  *response = &it->second.response;
  return Seen::kAnswered;
}

void RecentRequests::AddPending(const RequestKey& key) { entries_[key] = Entry{}; }

void RecentRequests::Answer(const RequestKey& key, std::vector<std::uint8_t> response,
                            Clock::time_point now) {
  entries_[key] = Entry{true, now, std::move(response)};
  answered_order_.push_back({key, now});
}

void RecentRequests::Forget(const RequestKey& key) { entries_.erase(key); }

void RecentRequests::Expire(Clock::time_point now) {
  std::size_t answered = answered_order_.size();
  while (!answered_order_.empty()) {
    const Answered& oldest = answered_order_.front();
    const bool expired = now - oldest.at >= window_ || answered > max_answered_;
    if (!expired) break;
    auto it = entries_.find(oldest.key);
    if (it != entries_.end() && it->second.answered && it->second.answered_at == oldest.at) {
      entries_.erase(it);
    }
    answered_order_.pop_front();
    --answered;
  }
}

}  // namespace atmwatch::radius
