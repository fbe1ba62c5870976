#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <vector>

#include "atmwatch/v1/events.pb.h"
#include "engine/fleet.h"

namespace atmwatch::engine {

// Transactions of one ATM by type and result, indexed by the proto enum values.
using TransactionCounts = std::array<std::array<std::uint64_t, 5>, 5>;

// What a metrics collector sees of one ATM while the engine is read-locked.
struct AtmView {
  const std::string& id;
  const InventoryEntry* inventory;  // nullptr for an ATM not in the inventory
  const TransactionCounts& transactions;
};

// The aggregates the daemon owns, fed one validated event at a time.
//
// Thread-safety: Apply and SetInventory take the write lock; the For* readers
// take the read lock and call back while holding it, so callbacks must be
// quick and must not call back into the engine.
class Engine {
 public:
  Engine(std::vector<InventoryEntry> inventory, std::size_t max_unknown_atms);

  // Applies an event that passed ValidateEvent. Returns the reason it cannot
  // be applied ("unknown_atm_cap"), leaving the aggregates untouched.
  std::optional<std::string_view> Apply(const v1::Envelope& event);

  void SetInventory(std::vector<InventoryEntry> inventory, std::size_t max_unknown_atms);

  void ForEachAtm(const std::function<void(const AtmView&)>& visit) const;

  // The aggregates as bytes for a snapshot, and back. Restore replaces the
  // current aggregates; ATMs of the snapshot that are no longer in the
  // inventory come back as unknown ones, past the unknown cap if need be,
  // since their history is real. False when the bytes do not parse.
  std::string SerializeState() const;
  bool RestoreState(std::string_view bytes);
  std::size_t unknown_atms() const;

 private:
  std::optional<std::string_view> ApplyTransaction(const v1::AtmTransaction& tx);

  mutable std::shared_mutex mutex_;
  Fleet fleet_;
  std::vector<TransactionCounts> transactions_;  // by AtmIndex
};

}  // namespace atmwatch::engine
