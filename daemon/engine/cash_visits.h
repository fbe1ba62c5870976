#pragma once

// When the cash-in-transit crew plans to visit an ATM: a weekly schedule per
// region of the inventory (config `cash:`), with the cost of a visit.
// Visits keep to their weekdays on holidays too: a crew's rota is not the
// customers' calendar.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/calendar.h"

namespace atmwatch::engine {

struct VisitSchedule {
  uint8_t weekdays = 0;        // bit w: weekday w, 0 = Sunday .. 6 = Saturday
  int minute_of_day = 9 * 60;  // local time of the visit, 0..1439
  int64_t cost_per_visit_yen = 0;

  // The first visit strictly after `now`; nullopt when no weekday is set.
  std::optional<int64_t> NextAfter(const Calendar& calendar, int64_t now_unix_ms) const;
  bool operator==(const VisitSchedule&) const = default;
};

struct CashVisits {
  std::optional<VisitSchedule> fallback;  // regions not listed; none: no planned visits
  std::map<std::string, VisitSchedule, std::less<>> regions;

  // The schedule of an ATM's region, or nullptr when it has no planned visits.
  const VisitSchedule* For(std::string_view region) const;
  bool operator==(const CashVisits&) const = default;
};

}  // namespace atmwatch::engine
