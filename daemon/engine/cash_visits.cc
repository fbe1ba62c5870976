#include "engine/cash_visits.h"

namespace atmwatch::engine {

std::optional<int64_t> VisitSchedule::NextAfter(const Calendar& calendar,
                                                int64_t now_unix_ms) const {
  const int64_t today = calendar.LocalDayNumber(now_unix_ms);
  // Today's slot may be past; the same weekday a week on is not.
  for (int64_t day = today; day <= today + 7; ++day) {
    const unsigned weekday =
        std::chrono::weekday(std::chrono::sys_days(DateOfDayNumber(day))).c_encoding();
    if ((weekdays & (1U << weekday)) == 0) continue;
    const int64_t visit = calendar.LocalMidnightUnixMs(day) + int64_t{minute_of_day} * 60'000;
    if (visit > now_unix_ms) return visit;
  }
  return std::nullopt;
}

const VisitSchedule* CashVisits::For(std::string_view region) const {
  if (auto it = regions.find(region); it != regions.end()) return &it->second;
  return fallback ? &*fallback : nullptr;
}

}  // namespace atmwatch::engine
