#pragma once

// Each ATM's business hours, resolved once per (re)config so that counting
// and scraping index a small table instead of looking up site names.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/business_hours.h"
#include "engine/fleet.h"

namespace atmwatch::engine {

class HoursTable {
 public:
  HoursTable() : schedules_{BusinessHours{}} {}

  // An inventory ATM takes its own hours, else its site's, else the
  // default; ATMs outside the inventory (and any added later) the default.
  void Assign(const Fleet& fleet, const BusinessHours& default_hours,
              const std::map<std::string, BusinessHours>& site_hours);

  const BusinessHours& Of(AtmIndex atm) const {
    return schedules_[atm < schedule_of_atm_.size() ? schedule_of_atm_[atm] : 0];
  }
  std::size_t distinct() const { return schedules_.size(); }

 private:
  std::vector<BusinessHours> schedules_;        // distinct; [0] is the default
  std::vector<std::uint16_t> schedule_of_atm_;  // by AtmIndex
};

}  // namespace atmwatch::engine
