#include "engine/cash_visits.h"

#include <gtest/gtest.h>

namespace atmwatch::engine {
namespace {

using namespace std::chrono;

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr uint8_t kMonday = 1 << 1;
constexpr uint8_t kThursday = 1 << 4;

TEST(VisitScheduleTest, NextSlotAfterNow) {
  const Calendar calendar;
  const VisitSchedule schedule{.weekdays = kMonday | kThursday, .minute_of_day = 9 * 60};
  // 2010-05-10 is a Monday.
  const int64_t monday = calendar.LocalMidnightUnixMs(DayNumberOf(2010y / May / 10));
  EXPECT_EQ(schedule.NextAfter(calendar, monday), monday + 9 * kHourMs);
  EXPECT_EQ(schedule.NextAfter(calendar, monday + 9 * kHourMs), monday + 3 * kDayMs + 9 * kHourMs);
}

TEST(VisitScheduleTest, AcrossTheWeekBoundary) {
  const Calendar calendar;
  const int64_t monday = calendar.LocalMidnightUnixMs(DayNumberOf(2010y / May / 10));
  const VisitSchedule mondays{.weekdays = kMonday, .minute_of_day = 9 * 60};
  // From Friday to the next Monday, and from Monday 10:00 to a week on.
  EXPECT_EQ(mondays.NextAfter(calendar, monday + 4 * kDayMs), monday + 7 * kDayMs + 9 * kHourMs);
  EXPECT_EQ(mondays.NextAfter(calendar, monday + 10 * kHourMs), monday + 7 * kDayMs + 9 * kHourMs);
  EXPECT_EQ(VisitSchedule{}.NextAfter(calendar, monday), std::nullopt);
}

TEST(CashVisitsTest, RegionOrDefault) {
  CashVisits visits;
  visits.regions["kanto"] = {.weekdays = kMonday};
  EXPECT_EQ(visits.For("kansai"), nullptr);
  EXPECT_EQ(visits.For("kanto")->weekdays, kMonday);
  visits.fallback = VisitSchedule{.weekdays = kThursday};
  EXPECT_EQ(visits.For("kansai")->weekdays, kThursday);
}

}  // namespace
}  // namespace atmwatch::engine
