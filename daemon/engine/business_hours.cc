#include "engine/business_hours.h"

#include <algorithm>
#include <chrono>

namespace atmwatch::engine {
namespace {

constexpr std::int64_t kMsPerMinute = 60'000;

std::int64_t FloorSeconds(std::int64_t ms) { return ms >= 0 ? ms / 1000 : (ms - 999) / 1000; }

}  // namespace

HoursDay HoursDayOf(const Calendar& calendar, std::int64_t local_day) {
  const std::chrono::year_month_day date = DateOfDayNumber(local_day);
  if (calendar.IsHoliday(date)) return HoursDay::kHoliday;
  const std::chrono::weekday weekday{std::chrono::sys_days(date)};
  if (weekday == std::chrono::Saturday) return HoursDay::kSaturday;
  if (weekday == std::chrono::Sunday) return HoursDay::kSunday;
  return HoursDay::kWeekday;
}

BusinessHours BusinessHours::Daily(int start_minute, int end_minute) {
  BusinessHours hours;
  hours.days.fill(
      DayHours{static_cast<std::int16_t>(start_minute), static_cast<std::int16_t>(end_minute)});
  return hours;
}

bool BusinessHours::Contains(const Calendar& calendar, std::int64_t time_unix_ms) const {
  const DayHours& day = On(HoursDayOf(calendar, calendar.LocalDayNumber(time_unix_ms)));
  const int minute = calendar.MinuteOfDay(time_unix_ms);
  return minute >= day.start_minute && minute < day.end_minute;
}

std::int64_t BusinessHours::SecondsWithin(const Calendar& calendar, std::int64_t day,
                                          std::int64_t from_ms, std::int64_t to_ms) const {
  return OpenWindow::Of(calendar, *this, day).SecondsWithin(from_ms, to_ms);
}

std::int64_t BusinessHours::SecondsSoFar(const Calendar& calendar, std::int64_t day,
                                         std::int64_t now_ms) const {
  return SecondsWithin(calendar, day, calendar.LocalMidnightUnixMs(day), now_ms);
}

OpenWindow OpenWindow::Of(const Calendar& calendar, const BusinessHours& hours, std::int64_t day) {
  const DayHours& open = hours.On(HoursDayOf(calendar, day));
  const std::int64_t midnight = calendar.LocalMidnightUnixMs(day);
  if (open.closed()) return {midnight, midnight};
  return {midnight + open.start_minute * kMsPerMinute, midnight + open.end_minute * kMsPerMinute};
}

std::int64_t OpenWindow::SecondsWithin(std::int64_t from_ms, std::int64_t to_ms) const {
  const std::int64_t open = std::max(from_ms, open_ms);
  const std::int64_t close = std::min(to_ms, close_ms);
  return close > open ? FloorSeconds(close) - FloorSeconds(open) : 0;
}

}  // namespace atmwatch::engine
