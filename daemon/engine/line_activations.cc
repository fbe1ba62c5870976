#include "engine/line_activations.h"

#include "engine_state.pb.h"

namespace atmwatch::engine {

void LineActivations::SetUtcOffset(std::chrono::minutes utc_offset) {
  if (utc_offset != days_.utc_offset()) days_ = days_.WithUtcOffset(utc_offset);
}

void LineActivations::Record(int64_t time_unix_ms, int change) {
  const int64_t day = days_.LocalDayNumber(time_unix_ms);
  if (!by_day_.empty() && day <= by_day_.rbegin()->first - kKeptDays) return;
  auto [it, inserted] = by_day_.try_emplace(day, 0);
  it->second += change;
  if (inserted) {
    while (by_day_.begin()->first <= by_day_.rbegin()->first - kKeptDays) {
      by_day_.erase(by_day_.begin());
    }
  }
}

int64_t LineActivations::NetOver(DayRange days) const {
  int64_t net = 0;
  for (auto it = by_day_.lower_bound(days.first); it != by_day_.end() && it->first <= days.last;
       ++it) {
    net += it->second;
  }
  return net;
}

void LineActivations::Save(LineActivationsState* out) const {
  for (const auto& [day, change] : by_day_) {
    out->add_days(day);
    out->add_changes(change);
  }
}

void LineActivations::Restore(const LineActivationsState& saved) {
  by_day_.clear();
  for (int i = 0; i < saved.days_size() && i < saved.changes_size(); ++i) {
    by_day_[saved.days(i)] += saved.changes(i);
  }
}

}  // namespace atmwatch::engine
