#include "engine/availability.h"

#include <algorithm>

#include "engine/device_health.h"

namespace atmwatch::engine {

std::string_view AtmStateName(AtmServiceState state) {
  switch (state) {
    case AtmServiceState::kInService:
      return "in_service";
    case AtmServiceState::kOutOfService:
      return "out_of_service";
    case AtmServiceState::kMaintenance:
      return "maintenance";
    case AtmServiceState::kCashLow:
      return "cash_low";
    case AtmServiceState::kCashOut:
      return "cash_out";
    case AtmServiceState::kClosed:
      return "closed";
  }
  return "in_service";
}

bool AtmStateServes(AtmServiceState state) {
  return state == AtmServiceState::kInService || state == AtmServiceState::kCashLow;
}

std::string_view AvailabilityName(Availability availability) {
  switch (availability) {
    case Availability::kHardware:
      return "hardware";
    case Availability::kComms:
      return "comms";
    case Availability::kCardholder:
      return "cardholder";
  }
  return "cardholder";
}

bool HardwareServes(const AtmAvailability& availability, const DeviceHealth& device) {
  return (AtmStateServes(availability.state) || availability.state == AtmServiceState::kClosed) &&
         device.ServesWithdrawals();
}

bool SiteOpen(const AtmAvailability& availability) {
  return availability.state != AtmServiceState::kClosed;
}

bool AtmAvailability::SetState(AtmServiceState reported, std::int64_t time_unix_ms) {
  if (state_event_unix_ms != 0 && time_unix_ms < state_event_unix_ms) return false;
  if (reported != state || state_since_unix_ms == 0) state_since_unix_ms = time_unix_ms;
  state = reported;
  state_event_unix_ms = time_unix_ms;
  return true;
}

StretchSeconds SecondsOnDay(const Calendar& calendar, const BusinessHours& hours, std::int64_t day,
                            std::int64_t from_ms, std::int64_t to_ms, const AvailableUntil& until) {
  const OpenWindow window = OpenWindow::Of(calendar, hours, day);
  StretchSeconds counted;
  counted.business = window.SecondsWithin(from_ms, to_ms);
  if (counted.business == 0) return counted;
  for (std::size_t a = 0; a < kAvailabilityCount; ++a) {
    counted.available[a] = window.SecondsWithin(from_ms, std::min(to_ms, until[a]));
  }
  return counted;
}

StretchSeconds SecondsOfStretch(const Calendar& calendar, const BusinessHours& hours,
                                std::int64_t from_ms, std::int64_t to_ms,
                                const AvailableUntil& until) {
  StretchSeconds total;
  if (to_ms <= from_ms) return total;
  const std::int64_t last = calendar.LocalDayNumber(to_ms - 1);
  for (std::int64_t day = calendar.LocalDayNumber(from_ms); day <= last; ++day) {
    const StretchSeconds counted = SecondsOnDay(calendar, hours, day, from_ms, to_ms, until);
    total.business += counted.business;
    for (std::size_t a = 0; a < kAvailabilityCount; ++a) total.available[a] += counted.available[a];
  }
  return total;
}

void AtmAvailability::Credit(const Calendar& calendar, const BusinessHours& hours,
                             std::int64_t from_ms, std::int64_t to_ms,
                             const AvailableUntil& until) {
  if (to_ms <= from_ms) return;
  const std::int64_t first = calendar.LocalDayNumber(from_ms);
  const std::int64_t last = calendar.LocalDayNumber(to_ms - 1);
  for (std::int64_t day = first; day <= last; ++day) {
    const StretchSeconds counted = SecondsOnDay(calendar, hours, day, from_ms, to_ms, until);
    if (counted.business == 0) continue;
    business_seconds_total += static_cast<std::uint64_t>(counted.business);
    for (std::size_t a = 0; a < kAvailabilityCount; ++a) {
      if (counted.available[a] == 0) continue;
      available_seconds_total[a] += static_cast<std::uint64_t>(counted.available[a]);
      SlotOf(day).seconds[a] += static_cast<std::uint32_t>(counted.available[a]);
    }
  }
}

AtmAvailability::Day& AtmAvailability::SlotOf(std::int64_t day) {
  if (days.empty()) days.resize(kKeptDays);
  Day& slot = days[static_cast<std::size_t>(((day % kKeptDays) + kKeptDays) % kKeptDays)];
  if (slot.day != day) slot = Day{.day = day};
  return slot;
}

std::uint32_t AtmAvailability::AvailableOn(std::int64_t day, Availability availability) const {
  if (days.empty()) return 0;
  const Day& slot = days[static_cast<std::size_t>(((day % kKeptDays) + kKeptDays) % kKeptDays)];
  return slot.day == day ? slot.seconds[AvailabilityIndex(availability)] : 0;
}

std::vector<AtmAvailability::Day> AtmAvailability::KeptDays() const {
  std::vector<Day> kept;
  for (const Day& slot : days) {
    if (slot.day != Day{}.day) kept.push_back(slot);
  }
  std::sort(kept.begin(), kept.end(), [](const Day& a, const Day& b) { return a.day < b.day; });
  // Slots of days the ring has not come round to again are older than kept.
  if (!kept.empty()) {
    const std::int64_t newest = kept.back().day;
    std::erase_if(kept, [&](const Day& d) { return d.day <= newest - kKeptDays; });
  }
  return kept;
}

void AtmAvailability::RestoreDay(const Day& day) { SlotOf(day.day).seconds = day.seconds; }

}  // namespace atmwatch::engine
