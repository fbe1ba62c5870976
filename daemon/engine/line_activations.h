#pragma once

// The net change in active MVNO lines (attached or in session) per local
// day, by event time: +1 when a line becomes active, -1 when it detaches.
// Their sum over a quarter is the run-rate the MVNO lines target is
// projected with (plan_tracking.h); counting by event time, not arrival,
// keeps replay and late events exact. Days older than kKeptDays before the
// newest are dropped, so memory stays bounded.
//
// Not thread-safe: the line table's owner serialises access.

#include <chrono>
#include <cstdint>
#include <map>

#include "engine/day_range.h"

namespace atmwatch::engine {

class LineActivationsState;

class LineActivations {
 public:
  static constexpr int64_t kKeptDays = 400;

  void SetUtcOffset(std::chrono::minutes utc_offset);

  void Record(int64_t time_unix_ms, int change);
  int64_t NetOver(DayRange days) const;

  void Save(LineActivationsState* out) const;
  void Restore(const LineActivationsState& saved);

 private:
  Calendar days_;                      // what a local day is
  std::map<int64_t, int64_t> by_day_;  // local day -> net change
};

}  // namespace atmwatch::engine
