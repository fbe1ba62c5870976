#include "engine/cash_demand.h"

#include <gtest/gtest.h>

namespace atmwatch::engine {
namespace {

using namespace std::chrono;

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;

// 2010-05-03 is a Monday and Constitution Memorial Day; 2010-05-10 a Monday.
const int64_t kMonday = DayNumberOf(2010y / May / 10);

Calendar TokyoWithHoliday() { return Calendar(Calendar::kDefaultUtcOffset, 4, {2010y / May / 3}); }

void Add(DailyUsage& usage, int64_t day, int hour, int type, int64_t amount_yen) {
  usage.Add({.atm = 0,
             .local_day = day,
             .hour = hour,
             .time_unix_ms = day * kDayMs,
             .type = type,
             .result = kApproved,
             .amount_yen = amount_yen});
}

// Every day of the four weeks before kMonday: `yen` withdrawn at `hour`.
DailyUsage Daily(int hour, int64_t yen) {
  DailyUsage usage;
  for (int64_t day = kMonday - 28; day < kMonday; ++day) Add(usage, day, hour, kWithdrawal, yen);
  return usage;
}

CashDemand Learn(const DailyUsage& usage, const Calendar& calendar, int64_t today = kMonday) {
  return LearnCashDemand(usage, ReferenceDaysByProfile(usage, calendar, today), 0);
}

TEST(CashDemandTest, MeansTheSameWeekdayHourOverFourWeeks) {
  DailyUsage usage;
  const int64_t mondays[] = {kMonday - 35, kMonday - 28, kMonday - 21, kMonday - 14, kMonday - 7};
  const int64_t yen[] = {900'000, 10'000, 20'000, 30'000, 40'000};  // the fifth week back: unused
  for (int i = 0; i < 5; ++i) Add(usage, mondays[i], 10, kWithdrawal, yen[i]);
  for (int64_t day = kMonday - 6; day < kMonday; ++day) Add(usage, day, 10, kWithdrawal, 1000);

  const CashDemand demand = Learn(usage, Calendar());
  ASSERT_TRUE(demand.known);
  EXPECT_DOUBLE_EQ(demand.HourYen(1, 10), 25'000);
  EXPECT_DOUBLE_EQ(demand.HourYen(1, 11), 0);
  EXPECT_DOUBLE_EQ(demand.DayYen(1), 25'000);
  // Other weekdays had one day of 1,000 yen in their four weeks (the ATM
  // was in service for all four: the others count as 0).
  EXPECT_DOUBLE_EQ(demand.HourYen(2, 10), 250);
}

TEST(CashDemandTest, SpreadsTheDaysYenOverItsHoursByTransactions) {
  DailyUsage usage = Daily(9, 30'000);
  // On the last Sunday, a balance inquiry at 15:00: a quarter of that day's
  // transactions, so a quarter of its yen.
  Add(usage, kMonday - 1, 9, kWithdrawal, 0);
  Add(usage, kMonday - 1, 9, kWithdrawal, 0);
  Add(usage, kMonday - 1, 15, 3, 0);
  const CashDemand demand = Learn(usage, Calendar());
  EXPECT_DOUBLE_EQ(demand.HourYen(0, 15), 30'000 / 4.0 / 4);
  EXPECT_DOUBLE_EQ(demand.HourYen(0, 9), 30'000 - 30'000 / 4.0 / 4);
}

TEST(CashDemandTest, HolidaysCountAsSundays) {
  const Calendar calendar = TokyoWithHoliday();
  DailyUsage usage;
  for (int64_t day = kMonday - 35; day < kMonday + 7; ++day) {
    Add(usage, day, 12, kWithdrawal, day == kMonday - 7 ? 700'000 : 10'000);
  }
  // Learning on Monday the 17th: Mondays 10, 26 Apr ... skip the holiday of
  // 3 May, which is with the Sundays.
  const CashDemand demand = Learn(usage, calendar, kMonday + 7);
  EXPECT_DOUBLE_EQ(demand.HourYen(1, 12), 10'000);
  EXPECT_DOUBLE_EQ(demand.HourYen(0, 12), (700'000 + 3 * 10'000) / 4.0);
}

TEST(CashDemandTest, LessThanAWeekOfHistoryHasNoProfile) {
  DailyUsage usage;
  for (int64_t day = kMonday - 6; day <= kMonday; ++day) Add(usage, day, 12, kWithdrawal, 1000);
  EXPECT_FALSE(Learn(usage, Calendar()).known);
  Add(usage, kMonday - 7, 12, kWithdrawal, 1000);
  EXPECT_TRUE(Learn(usage, Calendar()).known);
}

// 10,000 yen an hour from 10:00 to 20:00 every day.
std::array<std::array<double, 24>, kDayProfiles> TenHoursADayHourly() {
  std::array<std::array<double, 24>, kDayProfiles> hourly{};
  for (auto& day : hourly) {
    for (int hour = 10; hour < 20; ++hour) day[static_cast<std::size_t>(hour)] = 10'000;
  }
  return hourly;
}

CashDemand TenHoursADay() { return CashDemand::FromHourly(TenHoursADayHourly()); }

TEST(CashForecastTest, RunsDryWithinTheHourTheCashRunsOut) {
  const Calendar calendar;
  const int64_t midnight = calendar.LocalMidnightUnixMs(kMonday);
  const DaysAhead days = DaysAhead::From(calendar, midnight + 9 * kHourMs);
  // 10:00-13:00 take 30,000; 5,000 is left for half of 13:00.
  EXPECT_EQ(RunDryTime(TenHoursADay(), days, 35'000), midnight + 13 * kHourMs + kHourMs / 2);
  // Past today's hours: the next day from 10:00.
  EXPECT_EQ(RunDryTime(TenHoursADay(), days, 125'000),
            midnight + kDayMs + 12 * kHourMs + kHourMs / 2);
  EXPECT_EQ(RunDryTime(TenHoursADay(), days, 0), days.now_unix_ms);
  EXPECT_EQ(RunDryTime(CashDemand{}, days, 5'000), std::nullopt);
}

TEST(CashForecastTest, StartsPartWayThroughTheCurrentHour) {
  const Calendar calendar;
  const int64_t midnight = calendar.LocalMidnightUnixMs(kMonday);
  const DaysAhead days = DaysAhead::From(calendar, midnight + 10 * kHourMs + kHourMs / 4);
  // 7,500 for the rest of 10:00, then 2,500 covers a quarter of 11:00.
  EXPECT_EQ(RunDryTime(TenHoursADay(), days, 10'000), midnight + 11 * kHourMs + kHourMs / 4);
  EXPECT_DOUBLE_EQ(DemandUntil(TenHoursADay(), days, midnight + 12 * kHourMs), 17'500);
}

TEST(CashForecastTest, NothingBeyondFourteenDays) {
  const Calendar calendar;
  const int64_t now = calendar.LocalMidnightUnixMs(kMonday);
  const DaysAhead days = DaysAhead::From(calendar, now);
  EXPECT_EQ(RunDryTime(TenHoursADay(), days, 1'399'999),
            now + 13 * kDayMs + 19 * kHourMs + 3'599'640);
  EXPECT_EQ(RunDryTime(TenHoursADay(), days, 1'400'000), std::nullopt);
  EXPECT_DOUBLE_EQ(DemandUntil(TenHoursADay(), days, now + 30 * kDayMs), 1'400'000);
}

TEST(CashForecastTest, WalksAHolidayAheadAsASunday) {
  const Calendar calendar = TokyoWithHoliday();
  auto hourly = TenHoursADayHourly();
  hourly[0].fill(0);  // no demand on Sundays
  const CashDemand demand = CashDemand::FromHourly(hourly);
  const int64_t sunday = calendar.LocalMidnightUnixMs(DayNumberOf(2010y / May / 2));
  const DaysAhead days = DaysAhead::From(calendar, sunday);
  // Sunday and the holiday Monday take nothing: Tuesday 10:30.
  EXPECT_EQ(RunDryTime(demand, days, 5'000), sunday + 2 * kDayMs + 10 * kHourMs + kHourMs / 2);
}

}  // namespace
}  // namespace atmwatch::engine
