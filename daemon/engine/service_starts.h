#pragma once

// The day each ATM went into service (its first day with a transaction),
// sorted, with running sums: the ATMs in service on a day, and the ATM-days
// in service over a range, are then binary searches instead of a walk over
// the fleet. The business figures (breakeven, the quarter report, the plan's
// forecast) ask for them dozens of times per scrape, under the engine's read
// lock, over fleets of 15,000 ATMs.
//
// An ATM's first day changes rarely (a new ATM, a late transaction before
// it): each change costs a pass over the vector, the queries none.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/day_range.h"

namespace atmwatch::engine {

class ServiceStarts {
 public:
  // An ATM's first day became `to` (it was `from`, or it had none).
  void Move(std::optional<int64_t> from, int64_t to);
  // Replaces every first day.
  void Assign(std::vector<int64_t> first_days);

  std::size_t CountOnOrBefore(int64_t day) const;
  // Sum over the ATMs of the days of `range` on or after their first day.
  int64_t AtmDays(DayRange range) const;

 private:
  void Resum(std::size_t from);

  std::vector<int64_t> days_;  // sorted
  std::vector<int64_t> sums_{0};  // sums_[i]: days_[0] + ... + days_[i - 1]; one more than days_
};

}  // namespace atmwatch::engine
