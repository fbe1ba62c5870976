#pragma once

// ATM state and availability: the state an ATM last reported, and how many
// seconds of its business hours (engine/business_hours.h) each availability
// was good, in total and per local day.
//
// Hardware: the reported state serves (in service or cash low; a closed
// site is no fault of the hardware) and no reported component stops
// withdrawals (device_health.h: a fatal dispenser, card reader or PIN pad,
// or every reported cassette fatal).
// Comms: the bound MVNO line (the inventory's line_id) is in a data session
// and not stale; an ATM with no line: a heartbeat, status or transaction
// came within the silence window (default 5 minutes).
// Cardholder (atmwatch_atm_up, as of now): hardware AND comms AND the site
// open (the state is not closed) AND a sign of life within the silence
// window.
//
// Availability is counted from event times only, so replaying the same
// events gives the same figures whatever the wall clock: each event of an
// ATM (or of its bound line) closes the stretch since the ATM's previous
// event, and the part of that stretch during which each availability was
// good (the cardholder one until the last sign of life + silence, or the
// in-session line's last event + twice the interim interval) is credited to
// the business hours of the local days it covers. Late events (older than
// what is already counted) change the state from the newest counted time
// on; nothing counted is taken back.
//
// Pure logic, no clock, not thread-safe: the engine serialises access.

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "engine/business_hours.h"
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

// The availabilities counted per ATM, in business seconds of its hours.
// (Authorization availability follows from the issuer counters instead.)
enum class Availability : std::uint8_t {
  kHardware = 0,    // the state and the components serve (HardwareServes)
  kComms = 1,       // the bound line is in a data session; no line: heard from lately
  kCardholder = 2,  // all of it and a sign of life: atmwatch_atm_up
};
inline constexpr std::size_t kAvailabilityCount = 3;
std::string_view AvailabilityName(Availability availability);  // "hardware", ...

// Seconds of each availability by AvailabilityIndex.
using AvailabilitySeconds = std::array<std::uint32_t, kAvailabilityCount>;
// Where each availability of an open stretch ends (its start when it is not good).
using AvailableUntil = std::array<std::int64_t, kAvailabilityCount>;
constexpr std::size_t AvailabilityIndex(Availability a) { return static_cast<std::size_t>(a); }

// Business seconds of a stretch [from_ms, to_ms), and the part of them each
// availability was good (before its `until`).
struct StretchSeconds {
  std::int64_t business = 0;
  std::array<std::int64_t, kAvailabilityCount> available{};
};
StretchSeconds SecondsOnDay(const Calendar& calendar, const BusinessHours& hours, std::int64_t day,
                            std::int64_t from_ms, std::int64_t to_ms, const AvailableUntil& until);
// Over all the local days the stretch covers.
StretchSeconds SecondsOfStretch(const Calendar& calendar, const BusinessHours& hours,
                                std::int64_t from_ms, std::int64_t to_ms,
                                const AvailableUntil& until);

struct AtmAvailability;
class DeviceHealth;
// Whether the ATM's hardware serves cardholders: the one rule of hardware
// availability, which the cardholder one builds on: the reported state
// serves and no component stops withdrawals (device_health.h). A closed
// site is no fault of the hardware.
bool HardwareServes(const AtmAvailability& availability, const DeviceHealth& device);
// Whether the site is open: the ATM did not report itself closed.
bool SiteOpen(const AtmAvailability& availability);

// Per ATM: the reported state and the availability record.
struct AtmAvailability {
  static constexpr int kKeptDays = 35;  // days of the record kept

  // Good seconds of one local day; a slot of the ring by day % kKeptDays.
  struct Day {
    std::int64_t day = std::numeric_limits<std::int64_t>::min();  // min: unused
    AvailabilitySeconds seconds{};
  };

  AtmServiceState state = AtmServiceState::kInService;
  std::int64_t state_since_unix_ms = 0;  // 0 = no status reported yet
  std::int64_t state_event_unix_ms = 0;  // newest status that set the state; 0 = none
  std::int64_t accounted_unix_ms = 0;    // availability counted up to here; 0 = nothing yet
  // Lifetime business seconds, and good seconds of each availability, from
  // the first accounted event to accounted_unix_ms.
  std::uint64_t business_seconds_total = 0;
  std::array<std::uint64_t, kAvailabilityCount> available_seconds_total{};
  // kKeptDays slots once anything is credited (empty until then, so ATMs
  // that never report cost nothing).
  std::vector<Day> days;

  // Applies a reported state at an event time; a state older than the newest
  // one applied is ignored. Returns whether the state was taken.
  bool SetState(AtmServiceState reported, std::int64_t time_unix_ms);

  // Counts [from_ms, to_ms) within business hours: all of it as business
  // seconds, and for each availability the part before its `until`.
  void Credit(const Calendar& calendar, const BusinessHours& hours, std::int64_t from_ms,
              std::int64_t to_ms, const AvailableUntil& until);
  // Good seconds of a kept local day (0 for others).
  std::uint32_t AvailableOn(std::int64_t day,
                            Availability availability = Availability::kCardholder) const;
  // The kept days, oldest first.
  std::vector<Day> KeptDays() const;
  void RestoreDay(const Day& day);

 private:
  Day& SlotOf(std::int64_t day);
};

}  // namespace atmwatch::engine
