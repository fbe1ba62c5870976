#include "engine/fleet.h"

namespace atmwatch::engine {

Fleet::Fleet(std::vector<InventoryEntry> inventory, std::size_t max_unknown_atms)
    : max_unknown_(max_unknown_atms) {
  SetInventory(std::move(inventory));
}

std::optional<AtmIndex> Fleet::Find(std::string_view atm_id) const {
  return index_.Find(atm_id, ids_);
}

std::optional<AtmIndex> Fleet::Resolve(std::string_view atm_id) {
  if (auto found = Find(atm_id)) return found;
  if (unknown_ >= max_unknown_) return std::nullopt;
  ++unknown_;
  return Add(atm_id);
}

AtmIndex Fleet::Adopt(std::string_view atm_id) {
  if (auto found = Find(atm_id)) return *found;
  ++unknown_;
  return Add(atm_id);
}

AtmIndex Fleet::Add(std::string_view atm_id) {
  const auto atm = static_cast<AtmIndex>(ids_.size());
  ids_.emplace_back(atm_id);
  inventory_.emplace_back();
  index_.Insert(atm, ids_);
  return atm;
}

void Fleet::SetInventory(std::vector<InventoryEntry> inventory) {
  for (auto& entry : inventory_) entry.reset();
  for (auto& entry : inventory) {
    const auto found = Find(entry.id);
    const AtmIndex atm = found ? *found : Add(entry.id);
    inventory_[atm] = std::move(entry);
  }
  unknown_ = 0;
  for (const auto& entry : inventory_) unknown_ += entry ? 0 : 1;
}

const InventoryEntry* Fleet::inventory(AtmIndex atm) const {
  return inventory_[atm] ? &*inventory_[atm] : nullptr;
}

}  // namespace atmwatch::engine
