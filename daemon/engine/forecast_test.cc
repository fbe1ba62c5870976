#include "engine/forecast.h"

#include <gtest/gtest.h>

#include "engine/usage_testing.h"

namespace atmwatch::engine {
namespace {

using namespace std::chrono;

constexpr int64_t kCommission = 100;  // yen per transaction, as TestBooks has it
const int64_t kAsOf = DayNumberOf(2010y / March / 31);
const int64_t kFy2010First = DayNumberOf(2010y / April / 1);
const int64_t kFy2010Last = DayNumberOf(2011y / March / 31);

// Records of `atms` ATMs doing `per_atm(day)` transactions each day from
// `first` to `last`.

TEST(ForecastTest, FlatUsageForecastsTheSameDayForEveryDayLeft) {
  TestBooks books;
  books.Use(10, kAsOf - 120, kAsOf, [](int64_t) { return 20; });
  books.costs().fixed_monthly_yen = 3'650'000;  // 120,000 yen a day
  const FiscalYearOutlook outlook = ForecastFiscalYear(books.records(), Plan(), 2010, kAsOf);

  ASSERT_TRUE(outlook.basis.trend.has_value());
  EXPECT_NEAR(outlook.basis.trend->slope, 0, 1e-9);
  EXPECT_NEAR(outlook.basis.trend->spread, 0, 1e-9);
  EXPECT_EQ(outlook.basis.fleet_atms, 10);
  EXPECT_DOUBLE_EQ(outlook.basis.commission_per_transaction_yen, 100);
  EXPECT_FALSE(outlook.year.started);
  // 10 ATMs x 20 transactions x 100 yen = 20,000 yen a day, 365 days.
  EXPECT_EQ(outlook.year.forecast.expected.revenue_yen, 20'000 * 365);
  EXPECT_EQ(outlook.year.forecast.expected.expenses_yen, 120'000 * 365);
  EXPECT_EQ(outlook.year.forecast.low.revenue_yen, outlook.year.forecast.expected.revenue_yen);
  EXPECT_EQ(outlook.year.forecast.high.revenue_yen, outlook.year.forecast.expected.revenue_yen);
  EXPECT_EQ(outlook.quarters[0].forecast.expected.revenue_yen, 20'000 * 91);
  EXPECT_EQ(outlook.year.actual.revenue_yen, 0);
}

// The visits' cost per ATM-day of the last four weeks goes on at that rate.
TEST(ForecastTest, VisitCostsOfTheLastFourWeeksCarryForwardPerAtmDay) {
  TestBooks books;
  books.Use(10, kAsOf - 120, kAsOf, [](int64_t) { return 20; });
  // 28 days x 10 ATMs = 280 ATM-days; 14 visits of 20,000 yen = 1,000 yen each.
  for (int64_t day = kAsOf - 27; day <= kAsOf; day += 2) {
    books.ledger().RecordCashInTransit(day, 20'000);
  }
  books.ledger().RecordCashInTransit(kAsOf - 40, 1'000'000);  // before the window
  const FiscalYearOutlook outlook = ForecastFiscalYear(books.records(), Plan(), 2010, kAsOf);

  EXPECT_DOUBLE_EQ(outlook.basis.cash_in_transit_per_atm_day_yen, 1'000);
  EXPECT_EQ(outlook.year.forecast.expected.cost_yen, 1'000 * 10 * 365);
  EXPECT_EQ(outlook.quarters[0].forecast.expected.cost_yen, 1'000 * 10 * 91);
}

TEST(ForecastTest, RisingUsageFollowsTheLineOfTheLastThirteenWeeks) {
  TestBooks books;
  // One ATM, one more transaction each day: 10 on the first day.
  const int64_t first = kAsOf - 7 * 13 + 1;
  books.Use(1, first, kAsOf, [first](int64_t day) { return static_cast<int>(10 + day - first); });
  const FiscalYearOutlook outlook = ForecastFiscalYear(books.records(), Plan(), 2010, kAsOf);

  ASSERT_TRUE(outlook.basis.trend.has_value());
  EXPECT_NEAR(outlook.basis.trend->slope, 1.0, 1e-9);
  EXPECT_NEAR(outlook.basis.trend->spread, 0, 1e-9);
  int64_t expected = 0;
  for (int64_t day = kFy2010First; day <= kFy2010Last; ++day) {
    expected += (10 + day - first) * kCommission;
  }
  EXPECT_EQ(outlook.year.forecast.expected.revenue_yen, expected);
}

TEST(ForecastTest, CostsPlannedToFallFromADayApplyFromThatDay) {
  TestBooks books;
  books.Use(10, kAsOf - 120, kAsOf, [](int64_t) { return 20; });
  books.costs().fixed_monthly_yen = 3'650'000;  // 120,000 yen a day
  Plan plan;
  plan.cost_changes.push_back({2010y / October / 1, CostModel{.fixed_monthly_yen = 1'825'000}});
  const FiscalYearOutlook outlook = ForecastFiscalYear(books.records(), plan, 2010, kAsOf);

  // April to September at 120,000 yen a day, October to March at 60,000.
  EXPECT_EQ(outlook.year.forecast.expected.expenses_yen, 183 * 120'000 + 182 * 60'000);
  EXPECT_EQ(outlook.quarters[1].forecast.expected.expenses_yen, 92 * 120'000);
  EXPECT_EQ(outlook.quarters[2].forecast.expected.expenses_yen, 92 * 60'000);
}

TEST(ForecastTest, AFinishedQuarterWithBookingsTakesThemAndTheRestIsForecast) {
  TestBooks books;
  const int64_t june_30 = DayNumberOf(2010y / June / 30);
  books.Use(10, kAsOf - 120, june_30, [](int64_t) { return 20; });
  books.costs().fixed_monthly_yen = 3'650'000;
  for (const year_month_day month_end : {2010y / April / 30, 2010y / May / 31, 2010y / June / 30}) {
    books.ledger().Book(LedgerCategory::kCost, DayNumberOf(month_end), 1'000'000);
    books.ledger().Book(LedgerCategory::kExpense, DayNumberOf(month_end), 2'000'000);
  }
  const FiscalYearOutlook outlook = ForecastFiscalYear(books.records(), Plan(), 2010, june_30);

  const PeriodOutlook& q1 = outlook.quarters[0];
  EXPECT_TRUE(q1.finished);
  EXPECT_EQ(q1.actual.cost_yen, 3'000'000);
  EXPECT_EQ(q1.actual.expenses_yen, 6'000'000);
  EXPECT_EQ(q1.actual.revenue_yen, 20'000 * 91);
  EXPECT_EQ(q1.forecast.low.cost_yen, q1.actual.cost_yen);
  EXPECT_EQ(q1.forecast.high.revenue_yen, q1.actual.revenue_yen);
  // The rest of the year: the model's 120,000 yen a day over 274 days.
  EXPECT_EQ(outlook.year.forecast.expected.expenses_yen, 6'000'000 + 274 * 120'000);
  EXPECT_EQ(outlook.year.actual.revenue_yen, 20'000 * 91);
  EXPECT_EQ(outlook.year.forecast.expected.revenue_yen, 20'000 * 365);
}

TEST(ForecastTest, PlannedFleetAndQuarterCostsReplaceTheModel) {
  TestBooks books;
  books.Use(10, kAsOf - 120, kAsOf, [](int64_t) { return 20; });
  books.costs().per_atm_monthly_yen = 365'000;  // 12,000 yen an ATM a day
  Plan plan;
  FiscalYearPlan fy2010{.fiscal_year = 2010, .budget = {}, .atms = 20, .quarters = {}};
  QuarterPlan q2;
  q2.quarter = 2;
  q2.budget.cost_yen = 9'200'000;
  fy2010.quarters.push_back(q2);
  plan.fiscal_years.push_back(fy2010);
  const FiscalYearOutlook outlook = ForecastFiscalYear(books.records(), plan, 2010, kAsOf);

  // 20 ATMs x 20 transactions x 100 yen a day.
  EXPECT_EQ(outlook.quarters[0].forecast.expected.revenue_yen, 40'000 * 91);
  EXPECT_EQ(outlook.quarters[0].forecast.expected.cost_yen, 20 * 12'000 * 91);
  EXPECT_EQ(outlook.quarters[1].forecast.expected.cost_yen, 9'200'000);  // 92 days of 100,000
  EXPECT_EQ(outlook.quarters[1].plan.cost_yen, 9'200'000);
}

TEST(ForecastTest, TheRangeIsTheSpreadOfTheWeeksAroundTheLine) {
  TestBooks books;
  // Weeks alternate between 18 and 22 transactions a day: a flat line at 20
  // with weeks 2 away from it.
  const int64_t first = kAsOf - 7 * 13 + 1;
  books.Use(1, first, kAsOf, [first](int64_t day) { return ((day - first) / 7) % 2 ? 22 : 18; });
  const FiscalYearOutlook outlook = ForecastFiscalYear(books.records(), Plan(), 2010, kAsOf);

  ASSERT_TRUE(outlook.basis.trend.has_value());
  EXPECT_GT(outlook.basis.trend->spread, 1.9);
  EXPECT_LT(outlook.basis.trend->spread, 2.3);
  const MoneyRange& year = outlook.year.forecast;
  EXPECT_LT(year.low.revenue_yen, year.expected.revenue_yen);
  EXPECT_GT(year.high.revenue_yen, year.expected.revenue_yen);
  const double reach = kForecastRangeDeviations * outlook.basis.trend->spread;
  EXPECT_NEAR(static_cast<double>(year.high.revenue_yen - year.expected.revenue_yen),
              reach * 365 * kCommission, 365.0);
}

TEST(ForecastTest, RecordsAfterTheAsOfDayDoNotCount) {
  TestBooks books;
  books.Use(10, kAsOf - 120, kAsOf, [](int64_t) { return 20; });
  const FiscalYearOutlook before = ForecastFiscalYear(books.records(), Plan(), 2010, kAsOf);
  books.Use(30, kAsOf + 1, kAsOf + 60, [](int64_t) { return 50; });
  const FiscalYearOutlook after = ForecastFiscalYear(books.records(), Plan(), 2010, kAsOf);

  EXPECT_EQ(after.basis.fleet_atms, before.basis.fleet_atms);
  EXPECT_EQ(after.year.forecast.expected.revenue_yen, before.year.forecast.expected.revenue_yen);
  EXPECT_EQ(after.year.actual.revenue_yen, 0);
}

// One ATM whose transactions climb by one a day, 100 on the as-of day.
void UseRising(TestBooks& books) {
  const int64_t first = kAsOf - 7 * 13 + 1;
  books.Use(1, first, kAsOf, [](int64_t day) { return static_cast<int>(100 + day - kAsOf); });
}

TEST(PlannedBreakevenTest, RisingUsageMeetsThePlannedCostsWhereTheLineCrossesThem) {
  TestBooks books;
  UseRising(books);
  books.costs().fixed_monthly_yen = 730'000;  // until the plan's year: 24,000 yen a day
  Plan plan;
  // 20,000 yen a day: 200 transactions at 100 yen, 100 days after the as-of day.
  plan.fiscal_years.push_back({.fiscal_year = 2010, .budget = {.expenses_yen = 20'000 * 365}});
  EXPECT_EQ(ProjectPlannedBreakevenDay(books.records(), plan, kAsOf), kAsOf + 100);
}

TEST(PlannedBreakevenTest, APlannedCostCutBringsBreakevenToTheDayItTakesEffect) {
  TestBooks books;
  UseRising(books);
  books.costs().fixed_monthly_yen = 730'000;  // x 12 / 365 = 24,000 yen a day: 240 transactions
  EXPECT_EQ(ProjectPlannedBreakevenDay(books.records(), Plan(), kAsOf), kAsOf + 140);

  Plan plan;
  // Halved from 60 days on, when usage is already past the new 120.
  plan.cost_changes.push_back(
      {.from = DateOfDayNumber(kAsOf + 60), .costs = {.fixed_monthly_yen = 365'000}});
  EXPECT_EQ(ProjectPlannedBreakevenDay(books.records(), plan, kAsOf), kAsOf + 60);
}

TEST(PlannedBreakevenTest, AlreadyEarningIsTheAsOfDayAndFlatUsageBelowNeverArrives) {
  TestBooks books;
  books.Use(1, kAsOf - 120, kAsOf, [](int64_t) { return 50; });
  books.costs().fixed_monthly_yen = 365'000;  // 12,000 yen a day: 120 transactions
  EXPECT_EQ(ProjectPlannedBreakevenDay(books.records(), Plan(), kAsOf), std::nullopt);
  books.costs().fixed_monthly_yen = 36'500;  // 1,200 yen a day
  EXPECT_EQ(ProjectPlannedBreakevenDay(books.records(), Plan(), kAsOf), kAsOf);
}

TEST(PlannedBreakevenTest, BeyondTheHorizonIsNever) {
  TestBooks books;
  UseRising(books);
  books.costs().fixed_monthly_yen = 730'000;  // 140 days away
  EXPECT_EQ(ProjectPlannedBreakevenDay(books.records(), Plan(), kAsOf, 139), std::nullopt);
  EXPECT_EQ(ProjectPlannedBreakevenDay(books.records(), Plan(), kAsOf, 140), kAsOf + 140);
}

}  // namespace
}  // namespace atmwatch::engine
