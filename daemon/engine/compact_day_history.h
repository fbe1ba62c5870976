#pragma once

// One ATM's daily records of the days DailyUsage no longer keeps in its
// recent ring: days that almost never change again, oldest first, packed
// into a byte string. A day with a handful of non-zero counts takes 8 to 20
// bytes instead of an AtmDayUsage's 44; an idle day takes none.
//
// Each record is, in order:
//   varint         day minus the previous record's day (the first: 0)
//   varint         mask of the non-zero counts, bit i for counts[i]
//   varint ...     each non-zero count, in index order
//   zigzag varint  withdrawal_yen
//   zigzag varint  commission_yen
// The encoding is exact: a record decodes to the AtmDayUsage it was put as.
//
// Cost: appending a day newer than every record is amortised O(1); putting
// an older day (a late transaction) decodes and re-encodes every record,
// O(days), which is rare. Find and ForEachIn decode from the oldest record.
// Dropping the oldest days moves the bytes only when the dropped prefix has
// grown to a quarter of the buffer.
//
// Const methods do not modify anything, so any number of readers may run
// at once while no one writes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/atm_day_usage.h"
#include "engine/day_range.h"

namespace atmwatch::engine {

class CompactDayHistory {
 public:
  // Sets the record of `record.day`, replacing the one there was.
  void Put(const AtmDayUsage& record);
  // Drops the records of days before `day`.
  void DropBefore(int64_t day);
  // Gives the spare capacity back, after a bulk load.
  void ShrinkToFit() { bytes_.shrink_to_fit(); }

  std::optional<AtmDayUsage> Find(int64_t day) const;
  // Calls visit(const AtmDayUsage&) for each record of a day in `days`,
  // oldest first.
  template <typename Visit>
  void ForEachIn(DayRange days, Visit visit) const;

  bool empty() const { return start_ == bytes_.size(); }
  // The newest record's day; meaningless when empty().
  int64_t newest_day() const { return newest_day_; }
  std::size_t encoded_bytes() const { return bytes_.size() - start_; }

 private:
  void Append(const AtmDayUsage& record);
  void Encode(const std::vector<AtmDayUsage>& records);
  std::vector<AtmDayUsage> Decoded() const;
  // Decodes the record at `at` whose predecessor has day `previous_day`,
  // and moves `at` past it.
  AtmDayUsage DecodeAt(std::size_t& at, int64_t previous_day) const;

  std::vector<uint8_t> bytes_;
  std::size_t start_ = 0;  // bytes before it are records already dropped
  int32_t base_day_ = 0;   // the day the first live record's delta counts from
  int32_t newest_day_ = 0;
};

template <typename Visit>
void CompactDayHistory::ForEachIn(DayRange days, Visit visit) const {
  if (empty() || days.days() == 0 || newest_day_ < days.first) return;
  int64_t previous_day = base_day_;
  for (std::size_t at = start_; at < bytes_.size();) {
    const AtmDayUsage record = DecodeAt(at, previous_day);
    if (record.day > days.last) return;
    if (record.day >= days.first) visit(record);
    previous_day = record.day;
  }
}

}  // namespace atmwatch::engine
