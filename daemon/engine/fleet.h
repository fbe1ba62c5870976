#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/business_hours.h"
#include "engine/id_index.h"

namespace atmwatch::engine {

// One terminal of the configured inventory.
struct InventoryEntry {
  std::string id;
  std::string site;
  std::string region;
  std::string installed;  // local date, YYYY-MM-DD; may be empty
  std::string line_id;    // the MVNO line the terminal talks over; may be empty
  std::string carrier;
  std::optional<BusinessHours> hours;  // its own hours, over its site's
};

// Dense index of an ATM: stable for the daemon's lifetime, so aggregates are
// plain vectors indexed by it instead of maps keyed by strings.
using AtmIndex = std::uint32_t;

// The ATMs the daemon knows: the inventory first, then ids first seen in
// events, up to a cap, so a buggy or hostile sender cannot grow the series
// count without bound. Not thread-safe; the engine serialises access.
class Fleet {
 public:
  Fleet(std::vector<InventoryEntry> inventory, std::size_t max_unknown_atms);

  // The index of atm_id, adding it as unknown when there is room; nullopt
  // when the id is new and the unknown cap is reached.
  std::optional<AtmIndex> Resolve(std::string_view atm_id);
  std::optional<AtmIndex> Find(std::string_view atm_id) const;
  void Prefetch(std::string_view atm_id) const { index_.Prefetch(atm_id); }
  // The index of atm_id, adding it even past the unknown cap: for restoring
  // ATMs whose history is already on disk.
  AtmIndex Adopt(std::string_view atm_id);

  // Replaces the inventory (config reload). Known ATMs keep their index and
  // their aggregates; ATMs that left the inventory stay as unknown ones.
  void SetInventory(std::vector<InventoryEntry> inventory);
  void set_max_unknown_atms(std::size_t cap) { max_unknown_ = cap; }

  std::size_t size() const { return ids_.size(); }
  const std::string& id(AtmIndex atm) const { return ids_[atm]; }
  // Inventory data, or nullptr for an ATM seen only in events.
  const InventoryEntry* inventory(AtmIndex atm) const;
  std::size_t unknown_count() const { return unknown_; }

 private:
  AtmIndex Add(std::string_view atm_id);

  std::vector<std::string> ids_;
  std::vector<std::optional<InventoryEntry>> inventory_;  // by AtmIndex
  IdIndex index_;                                         // over ids_
  std::size_t max_unknown_;
  std::size_t unknown_ = 0;
};

}  // namespace atmwatch::engine
