#pragma once

// Local business hours by class of day: a parlor opens 10:00-23:00 every
// day, a shop 09:00-18:00 on weekdays and not on Sundays and holidays.
// Availability is counted within them (engine/availability.h).

#include <array>
#include <cstdint>

#include "engine/calendar.h"

namespace atmwatch::engine {

// Which hours a local day takes: a configured holiday takes the holiday
// hours whatever its weekday.
enum class HoursDay : std::uint8_t { kWeekday = 0, kSaturday = 1, kSunday = 2, kHoliday = 3 };
inline constexpr std::size_t kHoursDayCount = 4;
HoursDay HoursDayOf(const Calendar& calendar, std::int64_t local_day);

// [start, end) minutes after local midnight, no wrap past midnight; end may
// be 1440 ("24:00"). start >= end means closed all day.
struct DayHours {
  std::int16_t start_minute = 10 * 60;  // parlor hours, 10:00-23:00
  std::int16_t end_minute = 23 * 60;

  static constexpr DayHours Closed() { return {0, 0}; }
  bool closed() const { return start_minute >= end_minute; }
  auto operator<=>(const DayHours&) const = default;
};

struct BusinessHours {
  std::array<DayHours, kHoursDayCount> days{};  // by HoursDay

  // The same hours every day, holidays included.
  static BusinessHours Daily(int start_minute, int end_minute);
  const DayHours& On(HoursDay day) const { return days[static_cast<std::size_t>(day)]; }
  DayHours& On(HoursDay day) { return days[static_cast<std::size_t>(day)]; }
  auto operator<=>(const BusinessHours&) const = default;

  bool Contains(const Calendar& calendar, std::int64_t time_unix_ms) const;
  // Business seconds of the local day `day` that lie within [from_ms, to_ms).
  std::int64_t SecondsWithin(const Calendar& calendar, std::int64_t day, std::int64_t from_ms,
                             std::int64_t to_ms) const;
  // Business seconds of the local day `day` up to `now_ms` (the whole day's
  // once it is over).
  std::int64_t SecondsSoFar(const Calendar& calendar, std::int64_t day, std::int64_t now_ms) const;
};

// The hours of one local day as UTC instants; open == close when closed.
struct OpenWindow {
  std::int64_t open_ms = 0;
  std::int64_t close_ms = 0;

  static OpenWindow Of(const Calendar& calendar, const BusinessHours& hours, std::int64_t day);
  // Whole seconds of [from_ms, to_ms) within the window: both ends floored,
  // so adjacent stretches add up exactly.
  std::int64_t SecondsWithin(std::int64_t from_ms, std::int64_t to_ms) const;
};

}  // namespace atmwatch::engine
