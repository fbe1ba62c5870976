#include "engine/service_starts.h"

#include <algorithm>

namespace atmwatch::engine {

void ServiceStarts::Move(std::optional<int64_t> from, int64_t to) {
  std::size_t changed = days_.size();
  if (from) {
    const auto it = std::lower_bound(days_.begin(), days_.end(), *from);
    if (it != days_.end() && *it == *from) {
      changed = static_cast<std::size_t>(it - days_.begin());
      days_.erase(it);
    }
  }
  const auto at = std::upper_bound(days_.begin(), days_.end(), to);
  changed = std::min(changed, static_cast<std::size_t>(at - days_.begin()));
  days_.insert(at, to);
  Resum(changed);
}

void ServiceStarts::Assign(std::vector<int64_t> first_days) {
  days_ = std::move(first_days);
  std::sort(days_.begin(), days_.end());
  Resum(0);
}

void ServiceStarts::Resum(std::size_t from) {
  sums_.resize(days_.size() + 1);
  sums_[0] = 0;
  for (std::size_t i = from; i < days_.size(); ++i) {
    sums_[i + 1] = sums_[i] + days_[i];
  }
}

std::size_t ServiceStarts::CountOnOrBefore(int64_t day) const {
  return static_cast<std::size_t>(std::upper_bound(days_.begin(), days_.end(), day) -
                                  days_.begin());
}

int64_t ServiceStarts::AtmDays(DayRange range) const {
  if (range.days() == 0) return 0;
  // In service all along: the whole range each.
  const std::size_t all_along = CountOnOrBefore(range.first);
  // Started inside it, on day f: range.last - f + 1 each.
  const std::size_t by_the_end = CountOnOrBefore(range.last);
  const int64_t started = static_cast<int64_t>(by_the_end - all_along);
  const int64_t start_sum = sums_[by_the_end] - sums_[all_along];
  return static_cast<int64_t>(all_along) * range.days() + started * (range.last + 1) - start_sum;
}

}  // namespace atmwatch::engine
