#pragma once

// ATM state and availability: the state an ATM last reported, and how many
// seconds of each local day's business hours it was up.
//
// Up (as /metrics says it, atmwatch_atm_up) = the ATM's reported state is in
// service or cash low, AND its bound MVNO line (the inventory's line_id, if
// any) is attached or in session and not stale, AND a heartbeat, status or
// transaction came within the silence window (default 5 minutes).
//
// Availability is counted from event times only, so replaying the same
// events gives the same figures whatever the wall clock: each event of an
// ATM (or of its bound line) closes the stretch since the ATM's previous
// event, and the part of that stretch during which the ATM was up (until its
// last sign of life + silence, or its in-session line's last event + twice
// the interim interval) is credited to the business hours of the local days
// it covers. Late events (older than what is already counted) change the
// state from the newest counted time on; nothing counted is taken back.
//
// Pure logic, no clock, not thread-safe: the engine serialises access.

#include <cstdint>
#include <map>
#include <string_view>

#include "engine/calendar.h"

namespace atmwatch::engine {

// The reported state; in_service until the first status says otherwise.
enum class AtmServiceState : std::uint8_t {
  kInService = 0,
  kOutOfService = 1,
  kMaintenance = 2,
  kCashLow = 3,  // still dispensing: counts as in service
  kCashOut = 4,
  kClosed = 5,
};
inline constexpr std::size_t kAtmStateCount = 6;
// "in_service", "out_of_service", "maintenance", "cash_low", "cash_out", "closed".
std::string_view AtmStateName(AtmServiceState state);
bool AtmStateServes(AtmServiceState state);  // in service or cash low

// Local business hours, the same every day: [start, end) minutes after local
// midnight, start < end (no wrap past midnight); end may be 1440 ("24:00").
struct BusinessHours {
  int start_minute = 10 * 60;  // parlor hours, 10:00-23:00
  int end_minute = 23 * 60;

  bool Contains(const Calendar& calendar, std::int64_t time_unix_ms) const;
  // Business seconds of the local day `day` that lie within [from_ms, to_ms).
  std::int64_t SecondsWithin(const Calendar& calendar, std::int64_t day, std::int64_t from_ms,
                             std::int64_t to_ms) const;
  // Business seconds of the local day `day` up to `now_ms` (the whole day's
  // once it is over).
  std::int64_t SecondsSoFar(const Calendar& calendar, std::int64_t day, std::int64_t now_ms) const;
};

// Per ATM: the reported state and the availability record by local day.
struct AtmAvailability {
  static constexpr int kKeptDays = 35;  // days of the record kept

  AtmServiceState state = AtmServiceState::kInService;
  std::int64_t state_since_unix_ms = 0;  // 0 = no status reported yet
  std::int64_t state_event_unix_ms = 0;  // newest status that set the state; 0 = none
  std::int64_t accounted_unix_ms = 0;    // availability counted up to here; 0 = nothing yet
  std::map<std::int64_t, std::uint32_t> available_seconds;  // by local day number

  // Applies a reported state at an event time; a state older than the newest
  // one applied is ignored. Returns whether the state was taken.
  bool SetState(AtmServiceState reported, std::int64_t time_unix_ms);

  // Credits [from_ms, to_ms) as up, within business hours, to the days it covers.
  void Credit(const Calendar& calendar, const BusinessHours& hours, std::int64_t from_ms,
              std::int64_t to_ms);
  std::uint32_t AvailableOn(std::int64_t day) const;
};

}  // namespace atmwatch::engine
