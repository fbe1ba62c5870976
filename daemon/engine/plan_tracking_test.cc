#include "engine/plan_tracking.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/usage_testing.h"

namespace atmwatch::engine {
namespace {

using namespace std::chrono;

constexpr int64_t kMsPerDay = 86'400'000;
const int64_t kApril1 = DayNumberOf(2010y / April / 1);
const int64_t kJune30 = DayNumberOf(2010y / June / 30);
const int64_t kAugust1 = DayNumberOf(2010y / August / 1);
const int64_t kSeptember30 = DayNumberOf(2010y / September / 30);
const DateWindow kSecondHalf{2010y / October / 1, 2011y / March / 31};

// 10 transactions a day to July, 20 from August: 1,000 then 2,000 yen a day
// against the model's 1,200. 1Q's cost is booked in one entry on its last
// day, twice its revenue.
void UseHalfYear(TestBooks& books) {
  books.Use(1, kApril1, kSeptember30, [](int64_t day) { return day < kAugust1 ? 10 : 20; });
  books.costs().fixed_monthly_yen = 36'500;  // x 12 / 365 = 1,200 yen a day
  books.ledger().Book(LedgerCategory::kCost, kJune30, 2 * 91 * 1'000);
}

TEST(PlanAsOfDayTest, YesterdayOrTheNewestDayOfRecordsWhenTheyEndEarlier) {
  TestBooks books;
  EXPECT_EQ(PlanAsOfDay(books.records().usage, kSeptember30), kSeptember30 - 1);
  books.Use(1, kApril1, kJune30, [](int64_t) { return 1; });
  EXPECT_EQ(PlanAsOfDay(books.records().usage, kSeptember30), kJune30);
  EXPECT_EQ(PlanAsOfDay(books.records().usage, kJune30), kJune30 - 1);
}

TEST(ForecastShortfallAllowedTest, AShareOfThePlannedCostsElseOfTheForecastOnes) {
  PeriodOutlook period;
  period.forecast.expected = {.revenue_yen = 50, .cost_yen = 300, .expenses_yen = 100};
  EXPECT_EQ(ForecastShortfallAllowed(period, 0.1), 40);
  period.plan.cost_yen = 800;
  EXPECT_EQ(ForecastShortfallAllowed(period, 0.1), 40);  // expenses not planned
  period.plan.expenses_yen = 200;
  EXPECT_EQ(ForecastShortfallAllowed(period, 0.1), 100);
}

TEST(FirstBreakevenMonthTest, MonthsOfABookedQuarterShareItsBookingsByDays) {
  TestBooks books;
  UseHalfYear(books);
  // April and May have no booking of their own, but their share of 1Q's
  // cost (60,000 yen for April's 30 days) exceeds their revenue; July's
  // 31,000 yen are under the model's 37,200.
  EXPECT_EQ(FirstBreakevenMonth(books.records(), kSeptember30), kAugust1);
  // A month counts once it is over.
  EXPECT_EQ(FirstBreakevenMonth(books.records(), kAugust1 + 29), std::nullopt);
  EXPECT_EQ(FirstBreakevenMonth(books.records(), kAugust1 + 30), kAugust1);
}

TEST(TrackBreakevenTest, TheSlipIsTheBreakevenDayAgainstTheWindowsLastDay) {
  TestBooks books;
  UseHalfYear(books);
  Plan plan;
  plan.breakeven = kSecondHalf;
  const BreakevenOutlook reached = TrackBreakeven(books.records(), plan, kSeptember30);
  EXPECT_EQ(reached.first_month, kAugust1);
  EXPECT_EQ(reached.projected_day, std::nullopt);
  ASSERT_TRUE(reached.plan_slip_days.has_value());
  EXPECT_EQ(*reached.plan_slip_days, kAugust1 - DayNumberOf(2011y / March / 31));  // ahead

  plan.breakeven.reset();
  EXPECT_EQ(TrackBreakeven(books.records(), plan, kSeptember30).plan_slip_days, std::nullopt);
}

TEST(TrackBreakevenTest, WithoutABreakevenMonthTheForecastDayCountsAndNeverIsInfinitelyLate) {
  TestBooks books;
  // Climbing by one a day, 100 on September 30: 24,000 yen a day of costs
  // are met at 240, 140 days later (February 17, 2011).
  books.Use(1, kSeptember30 - 90, kSeptember30,
            [](int64_t day) { return static_cast<int>(100 + day - kSeptember30); });
  books.costs().fixed_monthly_yen = 730'000;
  Plan plan;
  plan.breakeven = kSecondHalf;
  const BreakevenOutlook projected = TrackBreakeven(books.records(), plan, kSeptember30);
  EXPECT_EQ(projected.first_month, std::nullopt);
  EXPECT_EQ(projected.projected_day, kSeptember30 + 140);
  EXPECT_EQ(*projected.plan_slip_days, kSeptember30 + 140 - DayNumberOf(2011y / March / 31));

  plan.breakeven = DateWindow{2010y / October / 1, 2010y / December / 31};
  EXPECT_EQ(*TrackBreakeven(books.records(), plan, kSeptember30).plan_slip_days, 48);  // late

  books.costs().fixed_monthly_yen = 7'300'000;  // 240,000 a day: beyond three years
  EXPECT_TRUE(std::isinf(*TrackBreakeven(books.records(), plan, kSeptember30).plan_slip_days));
}

// Local noon (+09:00) of `day`.
int64_t NoonOf(int64_t day) { return day * kMsPerDay - 9 * 3'600'000 + 12 * 3'600'000; }

TEST(TrackLinesTargetTest, TheRunRateOfTheLastQuarterCarriesTheLinesToTheTarget) {
  LineTable lines;
  const auto attach = [&](std::string_view line, int64_t day) {
    lines.Apply(LineObservation{line, "docomo", v1::LineEvent::ATTACH, "", 0, 0, NoonOf(day)});
  };
  attach("old", kSeptember30 - 200);  // active, but not in the run-rate
  attach("a", kSeptember30 - 60);
  attach("b", kSeptember30 - 30);
  attach("c", kSeptember30);
  const int64_t now = NoonOf(kSeptember30 + 1);

  Plan plan;
  EXPECT_EQ(TrackLinesTarget(lines, plan, kSeptember30, now), std::nullopt);

  plan.mvno_lines = MvnoLinesTarget{.lines = 11, .deadline = DateOfDayNumber(kSeptember30 + 100)};
  const std::optional<LinesTargetOutlook> outlook =
      TrackLinesTarget(lines, plan, kSeptember30, now);
  ASSERT_TRUE(outlook.has_value());
  EXPECT_EQ(outlook->active_lines, 4);
  EXPECT_EQ(outlook->added_last_quarter, 3);
  // 7 lines to go at 3 a quarter of 91 days: 212.3, so day 213.
  EXPECT_EQ(outlook->reached_day, kSeptember30 + 213);
  EXPECT_EQ(outlook->slip_days, 113);

  plan.mvno_lines->lines = 4;
  EXPECT_EQ(TrackLinesTarget(lines, plan, kSeptember30, now)->reached_day, kSeptember30);

  plan.mvno_lines->lines = 11;
  const int64_t later = kSeptember30 + 200;  // nothing added in the quarter before
  const std::optional<LinesTargetOutlook> stalled =
      TrackLinesTarget(lines, plan, later, NoonOf(later));
  EXPECT_EQ(stalled->added_last_quarter, 0);
  EXPECT_EQ(stalled->reached_day, std::nullopt);
  EXPECT_TRUE(std::isinf(stalled->slip_days));
}

}  // namespace
}  // namespace atmwatch::engine
