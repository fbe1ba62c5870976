#include "cli/trust_networks.h"

#include <gtest/gtest.h>

#include "engine/engine.h"

namespace atmwatch::cli {
namespace {

using namespace std::chrono;
using v1::AtmTransaction;

// Small revenues keep the plans short; costs shape the fleet as in the real table.
std::vector<QuarterFigures> Quarters() {
  return {{"3Q08", 2008y / October / 1, 2008y / December / 31, 300'000, 80'000'000, 5'000'000},
          {"4Q08", 2009y / January / 1, 2009y / March / 31, 400'000, 160'000'000, 6'000'000},
          {"1Q09", 2009y / April / 1, 2009y / June / 30, 700'000, 192'000'000, 4'900'001}};
}

TrustNetworksHistory History(std::uint64_t seed = 7) {
  return TrustNetworksHistory(Quarters(), engine::Calendar(), engine::FeeSchedule(), seed);
}

TEST(TrustNetworksTest, FleetGrowsWithCostAndIsCompleteByMarch2009) {
  const TrustNetworksHistory history = History();
  EXPECT_EQ(history.FleetAtEnd(0), 68);  // 136 x 80 / 160
  EXPECT_EQ(history.FleetAtEnd(1), TrustNetworksHistory::kFleetSize);
  EXPECT_EQ(history.FleetAtEnd(2), TrustNetworksHistory::kFleetSize);
}

TEST(TrustNetworksTest, CommissionStopsWithinOneFeeOfTheRevenue) {
  const TrustNetworksHistory history = History();
  for (std::size_t q = 0; q < history.quarters().size(); ++q) {
    const QuarterPlan plan = history.PlanQuarter(q);
    EXPECT_LE(plan.commission_yen, history.quarters()[q].revenue_yen);
    EXPECT_GE(plan.other_revenue_yen, 0);
    EXPECT_LT(plan.other_revenue_yen, 210);  // the highest built-in fee
  }
}

TEST(TrustNetworksTest, DaemonEngineEarnsWhatThePlanSays) {
  const TrustNetworksHistory history = History();
  const QuarterPlan plan = history.PlanQuarter(1);
  engine::Engine engine({}, 1000);
  for (const PlannedTransaction& tx : plan.transactions) {
    ASSERT_EQ(engine.Apply(history.ToEnvelope(tx)), std::nullopt);
  }
  for (const v1::Envelope& entry : plan.ledger) ASSERT_EQ(engine.Apply(entry), std::nullopt);
  engine.Read([&](const engine::EngineView& view) {
    const engine::PeriodFigures figures =
        engine::FiguresFor(view.records(), engine::QuarterDays(view.calendar, {2008, 4}));
    EXPECT_EQ(figures.commission_yen, plan.commission_yen);
    EXPECT_EQ(figures.revenue_yen(), history.quarters()[1].revenue_yen);
    EXPECT_EQ(figures.cost_yen, history.quarters()[1].cost_yen);
    EXPECT_EQ(figures.expenses_yen, history.quarters()[1].expenses_yen);
  });
}

TEST(TrustNetworksTest, LedgerBooksEachMonthAndSumsExactly) {
  const QuarterPlan plan = History().PlanQuarter(2);
  int64_t expenses = 0;
  int expense_entries = 0;
  for (const v1::Envelope& entry : plan.ledger) {
    if (entry.ledger().category() != v1::LedgerEntry::EXPENSE) continue;
    expenses += entry.ledger().amount_yen();
    ++expense_entries;
  }
  EXPECT_EQ(expense_entries, 3);
  EXPECT_EQ(expenses, 4'900'001);
  EXPECT_EQ(plan.ledger.back().ledger().category(), v1::LedgerEntry::OTHER_REVENUE);
  EXPECT_EQ(plan.ledger.back().ledger().booking_date(), "2009-06-30");
}

TEST(TrustNetworksTest, EveningsAndWeekendsAreBusierThanMornings) {
  const TrustNetworksHistory history = History();
  const QuarterPlan plan = history.PlanQuarter(2);
  const engine::Calendar calendar;
  int evening = 0;
  int morning = 0;
  for (const PlannedTransaction& tx : plan.transactions) {
    const int hour = calendar.HourOfDay(tx.time_unix_ms);
    evening += hour >= 18 && hour < 22;
    morning += hour >= 6 && hour < 10;
  }
  EXPECT_GT(evening, 3 * morning);
  for (std::size_t i = 1; i < plan.transactions.size(); ++i) {
    ASSERT_LE(plan.transactions[i - 1].time_unix_ms, plan.transactions[i].time_unix_ms);
  }
}

// 1Q09's level (revenue per ATM-day) is above 4Q08's, so its usage keeps
// growing through the quarter: its last four weeks busier than its first.
TEST(TrustNetworksTest, UsageGrowsThroughAQuarterAsItDoesBetweenQuarters) {
  const QuarterPlan plan = History().PlanQuarter(2);
  const engine::Calendar calendar;
  const int64_t first = engine::DayNumberOf(2009y / April / 1);
  const int64_t last = engine::DayNumberOf(2009y / June / 30);
  int early = 0;
  int late = 0;
  for (const PlannedTransaction& tx : plan.transactions) {
    const int64_t day = calendar.LocalDayNumber(tx.time_unix_ms);
    early += day < first + 28;
    late += day > last - 28;
  }
  EXPECT_GT(late, early * 1.08) << "first four weeks " << early << ", last four " << late;
}

TEST(TrustNetworksTest, SameSeedSamePlanOtherSeedOtherPlan) {
  const QuarterPlan a = History(7).PlanQuarter(0);
  const QuarterPlan b = History(7).PlanQuarter(0);
  const QuarterPlan c = History(8).PlanQuarter(0);
  ASSERT_EQ(a.transactions.size(), b.transactions.size());
  for (std::size_t i = 0; i < a.transactions.size(); ++i) {
    ASSERT_EQ(a.transactions[i].time_unix_ms, b.transactions[i].time_unix_ms);
  }
  EXPECT_NE(a.transactions.front().time_unix_ms, c.transactions.front().time_unix_ms);
}

TEST(TrustNetworksTest, InventoryListsTheWholeFleetWithInstallDates) {
  const std::string yaml = History().InventoryYaml();
  EXPECT_EQ(std::count(yaml.begin(), yaml.end(), '\n'), 1 + TrustNetworksHistory::kFleetSize);
  EXPECT_NE(yaml.find("installed: 2008-10-01"), std::string::npos);
}

}  // namespace
}  // namespace atmwatch::cli
