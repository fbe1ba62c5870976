#include "cli/live_fleet.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace atmwatch::cli {
namespace {

constexpr std::int64_t kNow = 1700000000000;

TEST(LiveFleetTest, SameSeedSameEvents) {
  LiveFleet a(20, 7), b(20, 7);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(a.NextTransaction(kNow).SerializeAsString(),
              b.NextTransaction(kNow).SerializeAsString());
  }
}

TEST(LiveFleetTest, TransactionsAreValidAndMostlyApprovedWithdrawals) {
  LiveFleet fleet(50, 1);
  std::set<std::string> ids;
  for (const auto& atm : fleet.atms()) ids.insert(atm.id);
  ASSERT_EQ(ids.size(), 50u);
  int withdrawals = 0, approved = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const auto event = fleet.NextTransaction(kNow);
    ASSERT_TRUE(event.has_transaction());
    const auto& tx = event.transaction();
    ASSERT_TRUE(ids.count(tx.atm_id()));
    ASSERT_GE(tx.amount_yen(), 0);
    withdrawals += tx.type() == v1::AtmTransaction::WITHDRAWAL;
    approved += tx.result() == v1::AtmTransaction::APPROVED;
  }
  EXPECT_GT(withdrawals, n * 80 / 100);
  EXPECT_LT(withdrawals, n * 90 / 100);
  EXPECT_GT(approved, n * 90 / 100);
}

TEST(LiveFleetTest, PopularityIsSpreadAcrossAtms) {
  LiveFleet fleet(40, 3);
  std::map<std::string, int> per_atm;
  for (int i = 0; i < 40000; ++i) ++per_atm[fleet.NextTransaction(kNow).transaction().atm_id()];
  int busiest = 0, quietest = 1 << 30;
  for (const auto& [id, count] : per_atm) {
    busiest = std::max(busiest, count);
    quietest = std::min(quietest, count);
  }
  EXPECT_GT(busiest, 2 * quietest);
}

TEST(LiveFleetTest, EveningsOutdoNightsAndWeekendsOutdoWeekdays) {
  EXPECT_GT(LiveFleet::HourShape(3, 20), 10 * LiveFleet::HourShape(3, 4));
  EXPECT_GT(LiveFleet::HourShape(6, 20), LiveFleet::HourShape(3, 20));
}

TEST(LiveFleetTest, LineSessionStartsOnceThenReportsGrowingBytes) {
  LiveFleet fleet(2, 1);
  const auto start = fleet.LineSession(1, kNow);
  ASSERT_TRUE(start.has_line());
  EXPECT_EQ(start.line().kind(), v1::LineEvent::SESSION_START);
  EXPECT_EQ(start.line().line_id(), fleet.atms()[1].line_id);
  const auto interim = fleet.LineSession(1, kNow + 60000);
  EXPECT_EQ(interim.line().kind(), v1::LineEvent::SESSION_INTERIM);
  EXPECT_EQ(interim.line().session_id(), start.line().session_id());
  EXPECT_GT(interim.line().bytes_in() + interim.line().bytes_out(),
            start.line().bytes_in() + start.line().bytes_out());
  EXPECT_EQ(fleet.LineSession(0, kNow).line().kind(), v1::LineEvent::SESSION_START);
}

TEST(LiveFleetTest, InventoryYamlListsEveryAtm) {
  LiveFleet fleet(3, 1);
  const std::string yaml = fleet.InventoryYaml();
  EXPECT_NE(yaml.find("id: ATM0001"), std::string::npos);
  EXPECT_NE(yaml.find("id: ATM0003"), std::string::npos);
}

}  // namespace
}  // namespace atmwatch::cli
