#include "engine/availability.h"

#include <algorithm>

namespace atmwatch::engine {
namespace {

constexpr std::int64_t kMsPerMinute = 60'000;

}  // namespace

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

bool BusinessHours::Contains(const Calendar& calendar, std::int64_t time_unix_ms) const {
  const int minute = calendar.MinuteOfDay(time_unix_ms);
  return minute >= start_minute && minute < end_minute;
}

std::int64_t BusinessHours::SecondsWithin(const Calendar& calendar, std::int64_t day,
                                          std::int64_t from_ms, std::int64_t to_ms) const {
  const std::int64_t midnight = calendar.LocalMidnightUnixMs(day);
  const std::int64_t open = std::max(from_ms, midnight + start_minute * kMsPerMinute);
  const std::int64_t close = std::min(to_ms, midnight + end_minute * kMsPerMinute);
  // Whole seconds: both ends floored, so adjacent stretches add up exactly.
  const auto floor_s = [](std::int64_t ms) { return ms >= 0 ? ms / 1000 : (ms - 999) / 1000; };
  return close > open ? floor_s(close) - floor_s(open) : 0;
}

std::int64_t BusinessHours::SecondsSoFar(const Calendar& calendar, std::int64_t day,
                                         std::int64_t now_ms) const {
  return SecondsWithin(calendar, day, calendar.LocalMidnightUnixMs(day), now_ms);
}

bool AtmAvailability::SetState(AtmServiceState reported, std::int64_t time_unix_ms) {
  if (state_event_unix_ms != 0 && time_unix_ms < state_event_unix_ms) return false;
  if (reported != state || state_since_unix_ms == 0) state_since_unix_ms = time_unix_ms;
  state = reported;
  state_event_unix_ms = time_unix_ms;
  return true;
}

void AtmAvailability::Credit(const Calendar& calendar, const BusinessHours& hours,
                             std::int64_t from_ms, std::int64_t to_ms) {
  if (to_ms <= from_ms) return;
  const std::int64_t first = calendar.LocalDayNumber(from_ms);
  const std::int64_t last = calendar.LocalDayNumber(to_ms - 1);
  for (std::int64_t day = first; day <= last; ++day) {
    const std::int64_t seconds = hours.SecondsWithin(calendar, day, from_ms, to_ms);
    if (seconds > 0) available_seconds[day] += static_cast<std::uint32_t>(seconds);
  }
  while (!available_seconds.empty() &&
         available_seconds.begin()->first <= available_seconds.rbegin()->first - kKeptDays) {
    available_seconds.erase(available_seconds.begin());
  }
}

std::uint32_t AtmAvailability::AvailableOn(std::int64_t day) const {
  auto it = available_seconds.find(day);
  return it == available_seconds.end() ? 0 : it->second;
}

}  // namespace atmwatch::engine
