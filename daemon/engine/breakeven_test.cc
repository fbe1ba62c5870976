#include "engine/breakeven.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "engine/usage_testing.h"

namespace atmwatch::engine {
namespace {

using namespace std::chrono;

// Chosen so that x 12 / 365 is whole yen: 1,200 yen per ATM-day and
// 120,000 yen per day.
constexpr CostModel kModel{
    .per_atm_monthly_yen = 36'500, .fixed_monthly_yen = 3'650'000, .per_transaction_yen = 5};

const int64_t kQ1Start = DayNumberOf(2010y / April / 1);
const int64_t kQ1End = DayNumberOf(2010y / June / 30);
const int64_t kQ2Start = DayNumberOf(2010y / July / 1);
const int64_t kQ2End = DayNumberOf(2010y / September / 30);

TEST(BreakevenTest, TransactionsPerAtmDayOnAHandComputedCase) {
  // Daily costs 1,200 x 100 + 120,000 = 240,000 yen; each transaction keeps
  // 105 - 5 = 100 yen; 240,000 / (100 ATMs x 100 yen) = 24.
  EXPECT_DOUBLE_EQ(*BreakevenTransactionsPerAtmDay(kModel, 100, 105.0), 24.0);
  // Fixed costs weigh less per ATM in a bigger fleet: (1,200 x 200 + 120,000) / (200 x 100).
  EXPECT_DOUBLE_EQ(*BreakevenTransactionsPerAtmDay(kModel, 200, 105.0), 18.0);
}

TEST(BreakevenTest, NoBreakevenWithoutFleetOrMargin) {
  EXPECT_FALSE(BreakevenTransactionsPerAtmDay(kModel, 0, 105.0).has_value());
  EXPECT_FALSE(BreakevenTransactionsPerAtmDay(kModel, 100, 5.0).has_value());
  EXPECT_FALSE(BreakevenTransactionsPerAtmDay(kModel, 100, 4.0).has_value());
}

TEST(BreakevenTest, ModelCostsSplitIntoCostAndExpenses) {
  PeriodFigures week = ModelCosts(kModel, /*days=*/7, /*atm_days=*/700, /*transactions=*/5000);
  EXPECT_EQ(week.cost_yen, 1'200 * 700 + 5 * 5000);
  EXPECT_EQ(week.expenses_yen, 120'000 * 7);
  // 1 yen a month is 0.03 yen a day: rounded to whole yen.
  EXPECT_EQ(ModelCosts({.fixed_monthly_yen = 1}, 1, 0, 0).expenses_yen, 0);
  EXPECT_EQ(ModelCosts({.fixed_monthly_yen = 1}, 365, 0, 0).expenses_yen, 12);
}

TEST(BreakevenTest, WholeBookedQuarterTakesTheLedgerOtherPiecesTheModel) {
  Calendar calendar;
  DailyUsage usage;
  Ledger ledger;
  for (int64_t day = kQ1Start; day <= kQ2End; ++day) AddWithdrawal(usage, 0, day, 105);
  ledger.Book(LedgerCategory::kCost, kQ1End, 1'000'000);
  ledger.Book(LedgerCategory::kExpense, kQ1End, 500'000);
  ledger.Book(LedgerCategory::kOtherRevenue, kQ2Start, 7'000);
  BusinessRecords records{usage, ledger, calendar, kModel};

  PeriodFigures q1 = FiguresFor(records, {kQ1Start, kQ1End});
  EXPECT_EQ(q1.commission_yen, 105 * 91);
  EXPECT_EQ(q1.cost_yen, 1'000'000);
  EXPECT_EQ(q1.expenses_yen, 500'000);
  EXPECT_EQ(q1.transactions, 91u);
  EXPECT_EQ(q1.atm_days, 91);

  PeriodFigures q2 = FiguresFor(records, {kQ2Start, kQ2End});  // nothing booked
  EXPECT_EQ(q2.cost_yen, 1'200 * 92 + 5 * 92);
  EXPECT_EQ(q2.expenses_yen, 120'000 * 92);
  EXPECT_EQ(q2.revenue_yen(), 105 * 92 + 7'000);
  EXPECT_EQ(q2.operating_income_yen(), 105 * 92 + 7'000 - (1'200 * 92 + 5 * 92 + 120'000 * 92));

  PeriodFigures june = FiguresFor(records, {kQ1End - 29, kQ1End});  // part of a booked quarter
  EXPECT_EQ(june.cost_yen, 1'200 * 30 + 5 * 30);
  EXPECT_EQ(june.expenses_yen, 120'000 * 30);

  PeriodFigures half = FiguresFor(records, {kQ1Start, kQ2End});
  EXPECT_EQ(half.cost_yen, q1.cost_yen + q2.cost_yen);
  EXPECT_EQ(half.expenses_yen, q1.expenses_yen + q2.expenses_yen);
  EXPECT_EQ(half.revenue_yen(), q1.revenue_yen() + q2.revenue_yen());
}

// What replenishment visits report they cost joins the model's cost where a
// period is modelled; finance's booking of a whole quarter already holds it.
TEST(BreakevenTest, VisitsAddTheirCostWhereThePeriodIsModelled) {
  Calendar calendar;
  DailyUsage usage;
  Ledger ledger;
  for (int64_t day = kQ1Start; day <= kQ2End; ++day) AddWithdrawal(usage, 0, day, 105);
  ledger.Book(LedgerCategory::kCost, kQ1End, 1'000'000);
  ledger.RecordCashInTransit(kQ1End, 15'000);
  ledger.RecordCashInTransit(kQ2Start, 15'000);
  ledger.RecordCashInTransit(kQ2End, 12'000);
  BusinessRecords records{usage, ledger, calendar, kModel};

  EXPECT_EQ(FiguresFor(records, {kQ1Start, kQ1End}).cost_yen, 1'000'000);
  EXPECT_EQ(FiguresFor(records, {kQ2Start, kQ2End}).cost_yen, 1'200 * 92 + 5 * 92 + 27'000);
  // A piece of the booked quarter is modelled, and takes its visit.
  EXPECT_EQ(FiguresFor(records, {kQ1End, kQ1End}).cost_yen, 1'200 + 5 + 15'000);
  EXPECT_EQ(FiguresFor(records, {kQ2Start + 1, kQ2End - 1}).cost_yen, (1'200 + 5) * 90);
  EXPECT_EQ(FiguresFor(records, {kQ2Start, kQ2End}).expenses_yen, 120'000 * 92);
}

TEST(BreakevenTest, CostAndExpensesEachFallBackToTheModelWhenUnbooked) {
  Calendar calendar;
  DailyUsage usage;
  Ledger ledger;
  for (int64_t day = kQ1Start; day <= kQ1End; ++day) AddWithdrawal(usage, 0, day, 105);
  ledger.Book(LedgerCategory::kCost, kQ1End, 1'000'000);  // no EXPENSE entry this quarter
  BusinessRecords records{usage, ledger, calendar, kModel};

  PeriodFigures q1 = FiguresFor(records, {kQ1Start, kQ1End});
  EXPECT_EQ(q1.cost_yen, 1'000'000);
  EXPECT_EQ(q1.expenses_yen, 120'000 * 91);
}

TEST(BreakevenTest, ProgressRatioIsRevenueOverCosts) {
  Calendar calendar;
  DailyUsage usage;
  Ledger ledger;
  AddWithdrawal(usage, 0, kQ2Start, 90'000);
  AddWithdrawal(usage, 1, kQ2Start, 0);
  BusinessRecords records{usage, ledger, calendar, kModel};

  // Costs: 2 ATMs x 1,200 + 2 transactions x 5 + 120,000 = 122,410 yen.
  PeriodFigures day = FiguresFor(records, WindowEndingOn(ProgressWindow::kDay, calendar, kQ2Start));
  ASSERT_TRUE(day.progress_ratio().has_value());
  EXPECT_DOUBLE_EQ(*day.progress_ratio(), 90'000.0 / 122'410.0);

  CostModel free_of_cost;
  BusinessRecords unmodelled{usage, ledger, calendar, free_of_cost};
  EXPECT_FALSE(FiguresFor(unmodelled, {kQ2Start, kQ2Start}).progress_ratio().has_value());
}

TEST(BreakevenTest, ProgressWindowsEndOnTheGivenDay) {
  Calendar calendar;
  const int64_t may_15 = DayNumberOf(2010y / May / 15);
  const int64_t jan_10 = DayNumberOf(2011y / January / 10);

  EXPECT_EQ(WindowEndingOn(ProgressWindow::kDay, calendar, may_15), (DayRange{may_15, may_15}));
  EXPECT_EQ(WindowEndingOn(ProgressWindow::kTrailing7Days, calendar, may_15),
            (DayRange{may_15 - 6, may_15}));
  EXPECT_EQ(WindowEndingOn(ProgressWindow::kQuarterToDate, calendar, may_15),
            (DayRange{kQ1Start, may_15}));
  EXPECT_EQ(WindowEndingOn(ProgressWindow::kFiscalYearToDate, calendar, may_15),
            (DayRange{kQ1Start, may_15}));
  EXPECT_EQ(WindowEndingOn(ProgressWindow::kQuarterToDate, calendar, jan_10),
            (DayRange{DayNumberOf(2011y / January / 1), jan_10}));
  EXPECT_EQ(WindowEndingOn(ProgressWindow::kFiscalYearToDate, calendar, jan_10),
            (DayRange{kQ1Start, jan_10}));
}

TEST(BreakevenTest, FleetBreakevenUsesTheLastFourWeeksCommission) {
  Calendar calendar;
  DailyUsage usage;
  Ledger ledger;
  const int64_t today = kQ2End;
  AddWithdrawal(usage, 0, today - 28, 1'000'000);  // just outside the window
  for (int64_t day = today - 27; day <= today; ++day) {
    AddWithdrawal(usage, 0, day, 100);
    AddWithdrawal(usage, 1, day, 110);
  }
  BusinessRecords records{usage, ledger, calendar, kModel};

  // (1,200 x 2 + 120,000) / (2 ATMs x (105 - 5)) = 612.
  ASSERT_TRUE(BreakevenTransactionsPerAtmDay(records, today).has_value());
  EXPECT_DOUBLE_EQ(*BreakevenTransactionsPerAtmDay(records, today), 612.0);
  EXPECT_FALSE(BreakevenTransactionsPerAtmDay(records, today - 60).has_value());
}

TEST(BreakevenTest, WeeklyUsageIsPerAtmInServiceAndSkipsEmptyWeeks) {
  DailyUsage usage;
  const int64_t today = kQ2End;
  for (int64_t day = today - 20; day <= today; ++day) {
    for (int i = 0; i < 2; ++i) AddWithdrawal(usage, 0, day, 105);
  }
  for (int64_t day = today - 6; day <= today; ++day) {
    for (int i = 0; i < 4; ++i) AddWithdrawal(usage, 1, day, 105);
  }

  std::vector<WeeklyUsage> weekly = WeeklyUsagePerAtm(usage, today, 4);
  ASSERT_EQ(weekly.size(), 3u);
  EXPECT_EQ(weekly[0].last_day, today - 14);
  EXPECT_DOUBLE_EQ(weekly[0].transactions_per_atm_day, 2);
  EXPECT_EQ(weekly[1].last_day, today - 7);
  EXPECT_DOUBLE_EQ(weekly[1].transactions_per_atm_day, 2);
  EXPECT_EQ(weekly[2].last_day, today);
  EXPECT_DOUBLE_EQ(weekly[2].transactions_per_atm_day, (14.0 + 28.0) / 14);
}

// Weekly points on the line 20 + 0.125 x (x = days after as_of), each at its
// block's middle day; exact in binary so the projection is exact.
std::vector<WeeklyUsage> RisingWeeks(int64_t as_of, double slope_per_day = 0.125) {
  std::vector<WeeklyUsage> weekly;
  for (int back = 3; back >= 0; --back) {
    const int64_t last_day = as_of - 7 * back;
    weekly.push_back({last_day, 20 + slope_per_day * static_cast<double>(last_day - 3 - as_of)});
  }
  return weekly;
}

TEST(BreakevenProjectionTest, FollowsTheTrendLineToBreakeven) {
  const int64_t as_of = kQ2End;
  // (30 - 20) / 0.125 = 80 days.
  EXPECT_EQ(ProjectBreakevenDay(RisingWeeks(as_of), 30, as_of), as_of + 80);
  EXPECT_EQ(ProjectBreakevenDay(RisingWeeks(as_of), 30, as_of, /*horizon_days=*/80), as_of + 80);
  EXPECT_EQ(ProjectBreakevenDay(RisingWeeks(as_of), 30.01, as_of), as_of + 81);
}

TEST(BreakevenProjectionTest, TrendAlreadyAboveBreakevenIsToday) {
  EXPECT_EQ(ProjectBreakevenDay(RisingWeeks(kQ2End), 15, kQ2End), kQ2End);
  EXPECT_EQ(ProjectBreakevenDay(RisingWeeks(kQ2End, -0.125), 20, kQ2End), kQ2End);
}

TEST(BreakevenProjectionTest, NotWithinTheHorizon) {
  EXPECT_FALSE(ProjectBreakevenDay(RisingWeeks(kQ2End), 30, kQ2End, /*horizon_days=*/79));
  EXPECT_FALSE(ProjectBreakevenDay(RisingWeeks(kQ2End, 0), 30, kQ2End));
  EXPECT_FALSE(ProjectBreakevenDay(RisingWeeks(kQ2End, -0.125), 30, kQ2End));
  std::vector<WeeklyUsage> one_week = {{kQ2End, 25}};
  EXPECT_FALSE(ProjectBreakevenDay(one_week, 30, kQ2End));
  // 0.001 a day needs 10,000 days: far beyond the default three years.
  EXPECT_FALSE(ProjectBreakevenDay(RisingWeeks(kQ2End, 0.001), 30, kQ2End));
}

TEST(BreakevenProjectionTest, FromTheRecordsUsesThirteenWeeksOfFleetUsage) {
  Calendar calendar;
  DailyUsage usage;
  Ledger ledger;
  const int64_t today = kQ2End;
  // One ATM at 100 yen a transaction: breakeven (1,200 + 120,000) / 95 = 1275.8 a day.
  // Usage grows by one transaction a day per week: 1,200 in the first of
  // the 13 weeks before today, 1,212 in the last; the line reaches 1275.8
  // about 450 days on. Today has only begun: 3 transactions so far.
  const int64_t yesterday = today - 1;
  for (int week = 0; week < 13; ++week) {
    const int64_t week_end = yesterday - 7 * (12 - week);
    for (int64_t day = week_end - 6; day <= week_end; ++day) {
      for (int i = 0; i < 1200 + week; ++i) AddWithdrawal(usage, 0, day, 100);
    }
  }
  for (int i = 0; i < 3; ++i) AddWithdrawal(usage, 0, today, 100);
  BusinessRecords records{usage, ledger, calendar, kModel};

  std::optional<int64_t> projected = ProjectBreakevenDay(records, today);
  ASSERT_TRUE(projected.has_value());
  std::optional<double> breakeven = BreakevenTransactionsPerAtmDay(records, today);
  EXPECT_EQ(projected,
            ProjectBreakevenDay(WeeklyUsagePerAtm(usage, yesterday, 13), *breakeven, today));
  // Counting the day in progress would have turned the trend down.
  EXPECT_FALSE(ProjectBreakevenDay(WeeklyUsagePerAtm(usage, today, 13), *breakeven, today));
  EXPECT_GT(*projected, today + 400);
  EXPECT_LT(*projected, today + 500);

  CostModel unprofitable = kModel;
  unprofitable.per_transaction_yen = 100;
  BusinessRecords losing{usage, ledger, calendar, unprofitable};
  EXPECT_FALSE(ProjectBreakevenDay(losing, today).has_value());
}

}  // namespace
}  // namespace atmwatch::engine
