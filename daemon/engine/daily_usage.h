#pragma once

// How much each ATM is used, per local day: the aggregate every business
// figure (baselines, breakeven, the quarter report) is computed from.
//
// "Transactions" without qualification means every AtmTransaction of the ATM
// that day, whatever its type and result: a customer at the machine. The
// type x result breakdown is kept for whoever needs only approved
// withdrawals. The withdrawal amount is approved minus reversed withdrawals;
// the commission is the signed sum the fee schedule (or the host) assigned.
//
// What is kept, and for how long:
// - Per ATM and day, the detail (counts, amount, commission, first and last
//   transaction time) for the `retention_days` most recent days (default
//   400), counted back from the newest day seen by any ATM. A transaction on
//   an older day still counts in the fleet totals and the activity record,
//   but its per-ATM detail is not kept.
// - Per ATM and day, transactions by local hour for the `hourly_days` most
//   recent days (default 35: a four-week baseline, today and a margin).
// - For the whole fleet, per day, the same sums as the detail, for all time
//   (about 200 bytes a day), so fiscal periods of any age stay exact.
// - Per ATM, the days it had any transaction, for all time, as runs of
//   consecutive days (a few bytes per ATM unless it is idle on and off).
//
// Memory: an ATM's `hourly_days` most recent days are 44-byte records in
// a ring, beside their hourly counts (52 bytes a day), so that counting a
// transaction is O(1) and allocates nothing: about 3.4 KB per ATM with the
// defaults. Older days, which almost never change again, move to a
// CompactDayHistory: 8 to 20 bytes for a day with transactions, nothing for
// an idle one. 15,000 ATMs with a year of a few transactions a day then
// take about 23 MB of recent days, 27 MB of hourly counts and 40 MB of
// older days, where rings of 400 records of 44 bytes took 264 MB (the
// fleet of bench/scrape_kernels.cc peaks at 163 MB RSS, was 363 MB). A late
// transaction on an older day re-encodes that ATM's older days: rare, and
// O(days). Counts per ATM, day and type x result (and per hour) are 16-bit
// and saturate at 65,535, far above what one terminal can do in a day; the
// engine's lifetime counters are exact.
//
// Not thread-safe for writers; the engine serialises access. Const methods
// modify nothing, so readers may run at once under the engine's read lock.

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "engine/atm_day_usage.h"
#include "engine/compact_day_history.h"
#include "engine/day_range.h"
#include "engine/fleet.h"
#include "engine/service_starts.h"

namespace atmwatch::engine {

class DailyUsageState;

// One validated transaction as the usage aggregates see it: plain values, so
// the aggregates need neither protobuf nor the calendar.
struct UsageTransaction {
  AtmIndex atm = 0;
  int64_t local_day = 0;  // Calendar::LocalDayNumber of the event time
  int hour = 0;           // Calendar::HourOfDay of the event time, 0..23
  int64_t time_unix_ms = 0;
  int type = 0;    // 1..4
  int result = 0;  // 1..4
  int64_t amount_yen = 0;
  int64_t commission_yen = 0;  // signed, as FeeSchedule::Commission returns it
};

// Sums over any set of ATM-days.
struct UsageTotals {
  std::array<uint64_t, kTransactionTypes * kTransactionResults> counts{};
  int64_t withdrawal_yen = 0;
  int64_t commission_yen = 0;

  uint64_t Count(int type, int result) const;
  uint64_t Transactions() const;
  void Add(const AtmDayUsage& day);
  void Add(const UsageTotals& other);
};

using HourlyTransactions = std::array<uint16_t, 24>;

// What an ATM's figures of past days were computed from (see
// DailyUsage::PastDaysStampOf).
struct PastDaysStamp {
  uint64_t restores = 0;
  uint32_t edits = 0;
  int64_t latest_day = 0;
  bool operator==(const PastDaysStamp&) const = default;
};

class DailyUsage {
 public:
  static constexpr int kDefaultRetentionDays = 400;
  static constexpr int kDefaultHourlyDays = 35;

  // Throws std::invalid_argument unless 1 <= hourly_days <= retention_days.
  explicit DailyUsage(int retention_days = kDefaultRetentionDays,
                      int hourly_days = kDefaultHourlyDays);

  // Counts one transaction. Returns whether its day is within the per-ATM
  // detail horizon (false: only the fleet totals and the activity record got
  // it). Throws std::invalid_argument for a type, result or hour out of
  // range: validation upstream makes that a programming error.
  bool Add(const UsageTransaction& transaction);
  // Starts loading what Add for this ATM and day will touch. Reads the
  // ATM's ring headers, so prefetch those first (PrefetchHeader) a little
  // earlier still.
  void PrefetchHeader(AtmIndex atm) const;
  void Prefetch(AtmIndex atm, int64_t day) const;

  // The ATM's record for a day; nullopt when it had no transaction that day
  // or the day is beyond the detail horizon.
  std::optional<AtmDayUsage> Find(AtmIndex atm, int64_t day) const;
  // Zeros when the ATM had no transaction that day or the day is beyond the
  // hourly horizon (see hourly_window()).
  HourlyTransactions Hourly(AtmIndex atm, int64_t day) const;

  // Sums over the days of `range` that are within the detail horizon.
  UsageTotals AtmTotals(AtmIndex atm, DayRange range) const;
  // Sums over the whole fleet, for days of any age.
  UsageTotals FleetTotals(DayRange range) const;

  // ATMs with at least one transaction on a day of `range`.
  std::size_t AtmsActive(DayRange range) const;
  // An ATM is in service from its first transaction on (the inventory's
  // installed date is not known here). nullopt: no transaction yet.
  std::optional<int64_t> FirstActiveDay(AtmIndex atm) const;
  std::size_t AtmsInService(int64_t day) const;
  // Sum over the days of `range` of the ATMs in service that day: the
  // denominator of "transactions per ATM per day".
  int64_t AtmDaysInService(DayRange range) const;

  // Equal stamps taken of one ATM at two times mean that none of its days
  // before the stamp's latest_day changed in between, nor the horizons: a
  // figure computed from days before `day <= latest_day` (a baseline, last
  // week's average) still holds. Transactions on the latest day, the bulk
  // of them, leave the stamp alone. Meaningless before the first transaction.
  PastDaysStamp PastDaysStampOf(AtmIndex atm) const;

  // The newest day any transaction landed on; nullopt before the first.
  std::optional<int64_t> latest_day() const { return latest_day_; }
  // The oldest day any transaction landed on; nullopt before the first.
  std::optional<int64_t> earliest_day() const;
  // The days whose per-ATM detail (resp. hourly counts) is kept.
  DayRange detail_window() const { return WindowOf(retention_days_); }
  DayRange hourly_window() const { return WindowOf(hourly_days_); }
  int retention_days() const { return retention_days_; }
  int hourly_days() const { return hourly_days_; }

  // Snapshots: everything above, for ATMs 0..atms-1 in index order. Restore
  // replaces the whole state; `atm_of_saved[i]` is the index the i-th saved
  // ATM has now. Records outside this object's horizons are dropped.
  void Save(DailyUsageState* out, std::size_t atms) const;
  void Restore(const DailyUsageState& saved, std::span<const AtmIndex> atm_of_saved);

 private:
  struct HourlySlot {
    int32_t day = std::numeric_limits<int32_t>::min();
    HourlyTransactions transactions{};
  };

  // Each kept day is in exactly one of `recent` and `older`. A day of
  // `recent` can fall out of the hourly window without moving (the window
  // follows the whole fleet's latest day); it moves to `older` on the ATM's
  // next Add, before anything else changes.
  struct AtmHistory {
    std::vector<AtmDayUsage> recent;  // ring indexed by day % hourly_days
    std::vector<HourlySlot> hours;    // ring indexed by day % hourly_days
    CompactDayHistory older;          // kept days before those of `recent`
    std::vector<DayRange> active;     // sorted, disjoint, non-adjacent runs
    int32_t oldest_recent_day = std::numeric_limits<int32_t>::max();
    uint32_t past_edits = 0;  // transactions on a day before latest_day_
  };

  DayRange WindowOf(int days) const;
  void MarkActive(AtmHistory& history, int64_t day);
  // Moves the ATM's records that left the hourly window to its older days,
  // and drops older days that left the detail window.
  void AgeRecentDays(AtmHistory& history);

  int retention_days_;
  int hourly_days_;
  std::optional<int64_t> latest_day_;
  uint64_t restores_ = 0;
  std::vector<AtmHistory> atms_;          // by AtmIndex
  std::map<int64_t, UsageTotals> fleet_;  // by local day
  ServiceStarts service_starts_;          // each ATM's first active day
};

}  // namespace atmwatch::engine
