#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <vector>

#include "atmwatch/v1/events.pb.h"
#include "engine/authorization_health.h"
#include "engine/breakeven.h"
#include "engine/calendar.h"
#include "engine/daily_usage.h"
#include "engine/fee_schedule.h"
#include "engine/fleet.h"
#include "engine/ledger.h"

namespace atmwatch::engine {

// Transactions of one ATM by type and result, indexed by the proto enum values.
using TransactionCounts = std::array<std::array<std::uint64_t, 5>, 5>;

// The lifetime figures of one ATM: exact counters for /metrics (the per-day
// aggregates live in DailyUsage).
struct AtmCounters {
  TransactionCounts transactions{};
  // Commission credited, and taken back by reversals (a positive sum), so
  // both stay monotonic counters; the net is their difference.
  int64_t commission_earned_yen = 0;
  int64_t commission_reversed_yen = 0;
  // Newest event times seen (a late event does not move them back); 0 = none.
  int64_t last_transaction_unix_ms = 0;
  int64_t last_status_unix_ms = 0;
};

// What the engine computes with besides the events. Changing it (reload)
// affects events applied afterwards; aggregates already made are kept.
struct EngineConfig {
  std::vector<InventoryEntry> inventory;
  std::size_t max_unknown_atms = 1000;
  Calendar calendar;
  FeeSchedule fees;
  CostModel costs;
};

// What a metrics collector sees of one ATM while the engine is read-locked.
struct AtmView {
  const std::string& id;
  const InventoryEntry* inventory;  // nullptr for an ATM not in the inventory
  const TransactionCounts& transactions;
};

// Everything the engine holds, consistent while the engine is read-locked.
// Per-ATM vectors are indexed by AtmIndex and have fleet.size() entries.
struct EngineView {
  const Fleet& fleet;
  const std::vector<AtmCounters>& atms;
  const DailyUsage& usage;
  const Ledger& ledger;
  const AuthorizationHealth& authorization;
  const Calendar& calendar;
  const FeeSchedule& fees;
  const CostModel& costs;

  BusinessRecords records() const { return {usage, ledger, calendar, costs}; }
};

// The aggregates the daemon owns, fed one validated event at a time on the
// commit thread (and by replay at start-up), so Apply is deterministic given
// the events in order and the config.
//
// Thread-safety: Apply, Reconfigure and RestoreState take the write lock;
// readers (Read, ForEachAtm, SerializeState) the read lock and call back
// while holding it, so callbacks must be quick and must not call back into
// the engine.
class Engine {
 public:
  explicit Engine(EngineConfig config);
  // Default calendar, fees and costs.
  Engine(std::vector<InventoryEntry> inventory, std::size_t max_unknown_atms);

  // Applies an event that passed ValidateEvent. Returns the reason it cannot
  // be applied ("unknown_atm_cap", "bad_date"), leaving the aggregates
  // untouched.
  std::optional<std::string_view> Apply(const v1::Envelope& event);

  // Config reload: inventory, unknown cap, calendar, fees and costs.
  void Reconfigure(EngineConfig config);

  void ForEachAtm(const std::function<void(const AtmView&)>& visit) const;
  void Read(const std::function<void(const EngineView&)>& read) const;

  // The aggregates as bytes for a snapshot, and back. Restore replaces the
  // current aggregates; ATMs of the snapshot that are no longer in the
  // inventory come back as unknown ones, past the unknown cap if need be,
  // since their history is real. False when the bytes do not parse.
  std::string SerializeState() const;
  bool RestoreState(std::string_view bytes);
  std::size_t unknown_atms() const;

 private:
  std::optional<std::string_view> ApplyTransaction(const v1::AtmTransaction& tx,
                                                   int64_t time_unix_ms);
  std::optional<std::string_view> ApplyStatus(const v1::AtmStatus& status, int64_t time_unix_ms);
  std::optional<std::string_view> ApplyLedger(const v1::LedgerEntry& entry);
  void FitToFleet();

  mutable std::shared_mutex mutex_;
  Fleet fleet_;
  Calendar calendar_;
  FeeSchedule fees_;
  CostModel costs_;
  std::vector<AtmCounters> atms_;  // by AtmIndex
  DailyUsage usage_;
  Ledger ledger_;
  AuthorizationHealth authorization_;
};

}  // namespace atmwatch::engine
