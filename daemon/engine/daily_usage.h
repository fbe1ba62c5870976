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
// Memory: each ATM has two rings that grow with the days it has history
// for, up to retention_days x 44 bytes and hourly_days x 52 bytes: about
// 19 KB with the defaults once a full year is held, so 15,000 ATMs take
// about 290 MB. Counts per ATM, day and type x result (and per hour) are
// 16-bit and saturate at 65,535, far above what one terminal can do in a
// day; the engine's lifetime counters are exact.
//
// Not thread-safe; the engine serialises access.

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "engine/day_range.h"
#include "engine/fleet.h"

namespace atmwatch::engine {

class DailyUsageState;

// Transaction types and results are the proto enum values 1..4
// (v1::AtmTransaction::Type and ::Result); 0 (unspecified) never gets here.
inline constexpr int kTransactionTypes = 4;
inline constexpr int kTransactionResults = 4;
inline constexpr int kWithdrawal = 1;  // v1::AtmTransaction::WITHDRAWAL
inline constexpr int kApproved = 1;    // v1::AtmTransaction::APPROVED
inline constexpr int kReversed = 4;    // v1::AtmTransaction::REVERSED

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

// One ATM on one local day: 44 bytes, as there are 400 of them per ATM.
// Sums saturate like the counts (an ATM dispenses a few ten million yen a
// day, far from the two billion an int32_t holds); fleet totals are exact.
struct AtmDayUsage {
  int32_t day = std::numeric_limits<int32_t>::min();  // local day number
  std::array<uint16_t, kTransactionTypes * kTransactionResults> counts{};
  int32_t withdrawal_yen = 0;
  int32_t commission_yen = 0;

  uint32_t Count(int type, int result) const;
  uint64_t Transactions() const;
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

  struct AtmHistory {
    std::vector<AtmDayUsage> days;  // ring indexed by day % retention_days
    std::vector<HourlySlot> hours;  // ring indexed by day % hourly_days
    std::vector<DayRange> active;   // sorted, disjoint, non-adjacent runs
  };

  DayRange WindowOf(int days) const;
  void MarkActive(AtmHistory& history, int64_t day);

  int retention_days_;
  int hourly_days_;
  std::optional<int64_t> latest_day_;
  std::vector<AtmHistory> atms_;          // by AtmIndex
  std::map<int64_t, UsageTotals> fleet_;  // by local day
};

}  // namespace atmwatch::engine
