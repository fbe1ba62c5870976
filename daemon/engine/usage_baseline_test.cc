#include "engine/usage_baseline.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace atmwatch::engine {
namespace {

using namespace std::chrono;

// 2010-05-03 is a Monday and Constitution Memorial Day.
const int64_t kHolidayMonday = DayNumberOf(2010y / May / 3);
const int64_t kMonday = DayNumberOf(2010y / May / 10);

Calendar TokyoWithHoliday() { return Calendar(Calendar::kDefaultUtcOffset, 4, {2010y / May / 3}); }

void AddTransactions(DailyUsage& usage, AtmIndex atm, int64_t day, int hour, int count) {
  for (int i = 0; i < count; ++i) {
    usage.Add({.atm = atm,
               .local_day = day,
               .hour = hour,
               .time_unix_ms = day * 86'400'000,
               .type = kWithdrawal,
               .result = kApproved,
               .amount_yen = 10000,
               .commission_yen = 105});
  }
}

TEST(UsageBaselineTest, AveragesTheLastFourSameWeekdays) {
  Calendar calendar;
  DailyUsage usage;
  AddTransactions(usage, 0, kMonday - 35, 9, 1000);  // a fifth Monday back: not used
  AddTransactions(usage, 0, kMonday - 28, 9, 10);
  AddTransactions(usage, 0, kMonday - 21, 9, 20);
  AddTransactions(usage, 0, kMonday - 14, 9, 30);
  AddTransactions(usage, 0, kMonday - 7, 9, 40);
  AddTransactions(usage, 0, kMonday - 1, 9, 500);  // the Sunday before: another profile

  UsageExpectation expected = UsageBaseline().ExpectedSoFar(usage, calendar, 0, kMonday, 1440);
  EXPECT_EQ(expected.reference_days, 4);
  EXPECT_DOUBLE_EQ(expected.transactions, 25.0);
}

TEST(UsageBaselineTest, WeeksSetsHowManyReferenceDays) {
  Calendar calendar;
  DailyUsage usage;
  AddTransactions(usage, 0, kMonday - 14, 9, 30);
  AddTransactions(usage, 0, kMonday - 7, 9, 40);

  UsageExpectation expected = UsageBaseline(1).ExpectedSoFar(usage, calendar, 0, kMonday, 1440);
  EXPECT_EQ(expected.reference_days, 1);
  EXPECT_DOUBLE_EQ(expected.transactions, 40.0);
  EXPECT_THROW(UsageBaseline(0), std::invalid_argument);
}

TEST(UsageBaselineTest, ExpectationGrowsLinearlyWithinTheHour) {
  Calendar calendar;
  DailyUsage usage;
  for (int week = 1; week <= 4; ++week) {
    AddTransactions(usage, 0, kMonday - 7 * week, 8, 4);
    AddTransactions(usage, 0, kMonday - 7 * week, 9, 6);
  }
  UsageBaseline baseline;

  EXPECT_DOUBLE_EQ(baseline.ExpectedSoFar(usage, calendar, 0, kMonday, 8 * 60).transactions, 0);
  EXPECT_DOUBLE_EQ(baseline.ExpectedSoFar(usage, calendar, 0, kMonday, 9 * 60).transactions, 4);
  EXPECT_DOUBLE_EQ(baseline.ExpectedSoFar(usage, calendar, 0, kMonday, 9 * 60 + 30).transactions,
                   7);
  EXPECT_DOUBLE_EQ(baseline.ExpectedSoFar(usage, calendar, 0, kMonday, 10 * 60).transactions, 10);
  EXPECT_DOUBLE_EQ(baseline.ExpectedSoFar(usage, calendar, 0, kMonday, 1440).transactions, 10);
}

TEST(UsageBaselineTest, HolidayComparesWithSundaysAndOrdinaryMondaysSkipIt) {
  Calendar calendar = TokyoWithHoliday();
  DailyUsage usage;
  for (int64_t day = kHolidayMonday - 35; day <= kHolidayMonday; ++day) {
    const bool sunday = UsageBaseline::ProfileOf(calendar, day) == 0;
    AddTransactions(usage, 0, day, 20, sunday ? 50 : 10);
  }
  UsageBaseline baseline;

  UsageExpectation holiday = baseline.ExpectedSoFar(usage, calendar, 0, kHolidayMonday, 1440);
  EXPECT_EQ(holiday.reference_days, 4);
  EXPECT_DOUBLE_EQ(holiday.transactions, 50);
  UsageExpectation monday = baseline.ExpectedSoFar(usage, calendar, 0, kMonday, 1440);
  EXPECT_EQ(monday.reference_days, 4);
  EXPECT_DOUBLE_EQ(monday.transactions, 10);
}

TEST(UsageBaselineTest, ProfileIsTheWeekdayWithHolidaysAsSunday) {
  Calendar calendar = TokyoWithHoliday();

  EXPECT_EQ(UsageBaseline::ProfileOf(calendar, kHolidayMonday), 0);
  EXPECT_EQ(UsageBaseline::ProfileOf(calendar, kMonday), 1);
  EXPECT_EQ(UsageBaseline::ProfileOf(calendar, kMonday - 1), 0);  // Sunday
  EXPECT_EQ(UsageBaseline::ProfileOf(calendar, kMonday - 2), 6);  // Saturday
}

TEST(UsageBaselineTest, NewAtmIsComparedWithItsDaysInServiceOnly) {
  Calendar calendar;
  DailyUsage usage;
  AddTransactions(usage, 3, kMonday - 7, 9, 12);

  UsageExpectation expected = UsageBaseline().ExpectedSoFar(usage, calendar, 3, kMonday, 1440);
  EXPECT_EQ(expected.reference_days, 1);
  EXPECT_DOUBLE_EQ(expected.transactions, 12);
}

TEST(UsageBaselineTest, FleetReferenceDaysGiveEachAtmItsOwnExpectation) {
  const Calendar calendar = TokyoWithHoliday();
  DailyUsage usage;
  // ATM 0 since long ago, ATM 1 since two weeks, ATM 2 never active; the
  // holiday Monday two weeks back is not a Monday's reference day.
  for (int64_t back = 1; back <= 60; ++back) AddTransactions(usage, 0, kMonday + 7 - back, 9, 1);
  AddTransactions(usage, 1, kMonday - 14, 10, 5);
  AddTransactions(usage, 1, kMonday - 7, 10, 7);

  const UsageBaseline baseline;
  const std::vector<int64_t> days = baseline.ReferenceDays(usage, calendar, kMonday + 7);
  EXPECT_EQ(days, (std::vector<int64_t>{kMonday, kMonday - 14, kMonday - 21, kMonday - 28}));
  for (AtmIndex atm = 0; atm < 3; ++atm) {
    const DayExpectation day = baseline.ExpectedDay(usage, days, atm);
    for (const int minute : {0, 570, 615, 1440}) {
      const auto one = baseline.ExpectedSoFar(usage, calendar, atm, kMonday + 7, minute);
      const auto fleet = day.SoFar(minute);
      EXPECT_EQ(fleet.reference_days, one.reference_days) << atm << " " << minute;
      EXPECT_DOUBLE_EQ(fleet.transactions, one.transactions) << atm << " " << minute;
    }
  }
  EXPECT_EQ(baseline.ExpectedDay(usage, days, 1).reference_days, 2);
}

TEST(UsageBaselineTest, IdleReferenceDaysCountAsZero) {
  Calendar calendar;
  DailyUsage usage;
  AddTransactions(usage, 0, kMonday - 28, 9, 10);
  AddTransactions(usage, 0, kMonday - 7, 9, 30);

  UsageExpectation expected = UsageBaseline().ExpectedSoFar(usage, calendar, 0, kMonday, 1440);
  EXPECT_EQ(expected.reference_days, 4);
  EXPECT_DOUBLE_EQ(expected.transactions, 10);
}

TEST(UsageBaselineTest, NoHistoryExpectsNothing) {
  Calendar calendar;
  DailyUsage usage;
  AddTransactions(usage, 0, kMonday, 9, 5);  // only today

  UsageExpectation expected = UsageBaseline().ExpectedSoFar(usage, calendar, 0, kMonday, 1440);
  EXPECT_EQ(expected.reference_days, 0);
  EXPECT_EQ(expected.transactions, 0);
  EXPECT_EQ(UsageBaseline().ExpectedSoFar(usage, calendar, 9, kMonday, 1440).reference_days, 0);
}

TEST(UsageBaselineTest, DailyAverageIsOverTheSevenCompleteDaysBeforeToday) {
  DailyUsage usage;
  AddTransactions(usage, 0, kMonday - 8, 9, 1000);
  for (int back = 1; back <= 7; ++back) AddTransactions(usage, 0, kMonday - back, 9, back);
  AddTransactions(usage, 0, kMonday, 9, 100);

  EXPECT_DOUBLE_EQ(UsageBaseline().DailyAverage(usage, 0, kMonday), 28.0 / 7);
}

TEST(UsageBaselineTest, DailyAverageOfANewAtmIsOverItsDaysInService) {
  DailyUsage usage;
  AddTransactions(usage, 0, kMonday - 2, 9, 6);
  AddTransactions(usage, 0, kMonday - 1, 9, 4);

  EXPECT_DOUBLE_EQ(UsageBaseline().DailyAverage(usage, 0, kMonday), 5);
  EXPECT_DOUBLE_EQ(UsageBaseline().DailyAverage(usage, 0, kMonday - 2), 0);
  EXPECT_DOUBLE_EQ(UsageBaseline().DailyAverage(usage, 1, kMonday), 0);
}

}  // namespace
}  // namespace atmwatch::engine
