#include "engine/hours_table.h"

#include <limits>

namespace atmwatch::engine {

void HoursTable::Assign(const Fleet& fleet, const BusinessHours& default_hours,
                        const std::map<std::string, BusinessHours>& site_hours) {
  schedules_.assign(1, default_hours);
  schedule_of_atm_.assign(fleet.size(), 0);
  std::map<BusinessHours, std::uint16_t> index_of{{default_hours, 0}};
  for (AtmIndex atm = 0; atm < fleet.size(); ++atm) {
    const InventoryEntry* entry = fleet.inventory(atm);
    if (entry == nullptr) continue;
    const BusinessHours* hours = nullptr;
    if (entry->hours) {
      hours = &*entry->hours;
    } else if (auto site = site_hours.find(entry->site); site != site_hours.end()) {
      hours = &site->second;
    }
    if (hours == nullptr) continue;
    auto found = index_of.find(*hours);
    if (found == index_of.end()) {
      // Distinct schedules are few (one per kind of site); past the index's
      // range an ATM keeps the default rather than aliasing another one.
      if (schedules_.size() > std::numeric_limits<std::uint16_t>::max()) continue;
      found = index_of.emplace(*hours, static_cast<std::uint16_t>(schedules_.size())).first;
      schedules_.push_back(*hours);
    }
    schedule_of_atm_[atm] = found->second;
  }
}

}  // namespace atmwatch::engine
