#include "engine/cash_position.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <utility>

#include "engine_state.pb.h"

namespace atmwatch::engine {
namespace {

constexpr int64_t kT = 1700000000000;
constexpr int64_t kMinute = 60 * 1000;

// Cassettes as {denomination, notes} pairs.
v1::CashEvent Cash(v1::CashEvent::Kind kind, std::initializer_list<std::pair<int, int>> cassettes,
                   int64_t cost_yen = 0) {
  v1::CashEvent event;
  event.set_atm_id("ATM0001");
  event.set_kind(kind);
  for (const auto& [denomination, notes] : cassettes) {
    auto* cassette = event.add_cassettes();
    cassette->set_denomination_yen(denomination);
    cassette->set_notes(notes);
  }
  event.set_cost_yen(cost_yen);
  return event;
}

v1::CashEvent Visit(std::initializer_list<std::pair<int, int>> cassettes, int64_t cost_yen = 0) {
  return Cash(v1::CashEvent::REPLENISHMENT, cassettes, cost_yen);
}

v1::CashEvent Count(std::initializer_list<std::pair<int, int>> cassettes) {
  return Cash(v1::CashEvent::COUNT, cassettes);
}

// Notes by kYenNotes: 10000, 5000, 2000, 1000.
using Notes = std::array<int32_t, 4>;

TEST(CashPositionTest, NoPositionUntilAVisitAndWithdrawalsBeforeItAreSkipped) {
  CashPosition cash;
  EXPECT_FALSE(cash.known());
  EXPECT_FALSE(cash.active());
  cash.Dispense(10000, kT);
  EXPECT_EQ(cash.dispensed_yen, 0);
  EXPECT_EQ(cash.late_events, 0U);
  EXPECT_FALSE(cash.active());
}

TEST(CashPositionTest, AVisitLoadsTheCassettesAndBooksItsCost) {
  CashPosition cash;
  cash.Apply(Visit({{10000, 200}, {1000, 500}, {10000, 100}}, 18000), kT);
  EXPECT_TRUE(cash.known());
  EXPECT_EQ(cash.notes, (Notes{300, 0, 0, 500}));
  EXPECT_EQ(cash.RemainingYen(), 3'500'000);
  EXPECT_EQ(cash.replenishments, 1U);
  EXPECT_EQ(cash.in_transit_cost_yen, 18000);
}

TEST(CashPositionTest, WithdrawalsDispenseLargestNotesFirst) {
  CashPosition cash;
  cash.Apply(Visit({{10000, 2}, {5000, 1}, {2000, 5}, {1000, 5}}), kT);
  cash.Dispense(38000, kT + kMinute);  // 2 × 10000, 1 × 5000, 5 × 2000, 3 × 1000
  EXPECT_EQ(cash.notes, (Notes{0, 0, 0, 2}));
  EXPECT_EQ(cash.dispensed_yen, 38000);
  EXPECT_EQ(cash.short_withdrawals, 0U);
  EXPECT_EQ(cash.RemainingYen(), 2000);
}

TEST(CashPositionTest, AnAmountGreedyCannotMakeIsShortAndEmptiesDownToZero) {
  CashPosition cash;
  cash.Apply(Visit({{10000, 1}, {1000, 2}}), kT);
  cash.Dispense(5000, kT + kMinute);  // no 5000, too few 1000: take 2 × 1000, then the 10000
  EXPECT_EQ(cash.short_withdrawals, 1U);
  EXPECT_EQ(cash.notes, (Notes{0, 0, 0, 0}));
  cash.Dispense(10000, kT + 2 * kMinute);  // nothing left: never negative
  EXPECT_EQ(cash.short_withdrawals, 2U);
  EXPECT_EQ(cash.notes, (Notes{0, 0, 0, 0}));
  EXPECT_EQ(cash.dispensed_yen, 15000);
}

TEST(CashPositionTest, AReversalPutsTheAmountBackIntoLoadedDenominations) {
  CashPosition cash;
  cash.Apply(Visit({{10000, 10}, {1000, 10}}), kT);
  cash.Dispense(23000, kT + kMinute);
  EXPECT_EQ(cash.notes, (Notes{8, 0, 0, 7}));
  cash.Return(23000, kT + 2 * kMinute);
  EXPECT_EQ(cash.notes, (Notes{10, 0, 0, 10}));
  EXPECT_EQ(cash.returned_yen, 23000);
  EXPECT_EQ(cash.RemainingYen(), 110000);
}

TEST(CashPositionTest, ACountReconcilesAndCountsTheDifferenceInYen) {
  CashPosition cash;
  cash.Apply(Visit({{10000, 100}, {1000, 100}}), kT);
  cash.Dispense(30000, kT + kMinute);  // computed: 97 × 10000, 100 × 1000
  cash.Apply(Count({{10000, 97}, {1000, 100}}), kT + 2 * kMinute);
  EXPECT_EQ(cash.discrepancies, 0U);
  // One 10000 note short, two 1000 notes over: 12000 yen apart, not 8000.
  cash.Apply(Count({{10000, 96}, {1000, 102}}), kT + 3 * kMinute);
  EXPECT_EQ(cash.discrepancies, 1U);
  EXPECT_EQ(cash.discrepancy_yen, 12000);
  // The device is right: the position is its count from now on.
  EXPECT_EQ(cash.notes, (Notes{96, 0, 0, 102}));
  cash.Dispense(10000, kT + 4 * kMinute);
  EXPECT_EQ(cash.RemainingYen(), 95 * 10000 + 102 * 1000);
}

TEST(CashPositionTest, ACountWithoutAPositionSetsItWithoutADiscrepancy) {
  CashPosition cash;
  cash.Apply(Count({{5000, 40}}), kT);
  EXPECT_TRUE(cash.known());
  EXPECT_EQ(cash.discrepancies, 0U);
  EXPECT_EQ(cash.RemainingYen(), 200000);
}

TEST(CashPositionTest, AVisitResetsThePositionWhateverWasLeft) {
  CashPosition cash;
  cash.Apply(Visit({{10000, 100}}), kT);
  cash.Dispense(500000, kT + kMinute);
  cash.Apply(Visit({{5000, 300}, {1000, 1000}}, 15000), kT + 2 * kMinute);
  EXPECT_EQ(cash.notes, (Notes{0, 300, 0, 1000}));
  EXPECT_EQ(cash.discrepancies, 0U);
  EXPECT_EQ(cash.replenishments, 2U);
  EXPECT_EQ(cash.in_transit_cost_yen, 15000);
  // Reversals go into what this visit loaded, not the old cassettes.
  cash.Return(10000, kT + 3 * kMinute);
  EXPECT_EQ(cash.notes, (Notes{0, 302, 0, 1000}));
}

TEST(CashPositionTest, EventsOlderThanThePositionAreLateAndChangeNoNotes) {
  CashPosition cash;
  cash.Apply(Visit({{10000, 100}}), kT + 10 * kMinute);
  cash.Dispense(10000, kT + 5 * kMinute);   // from the old cassettes
  cash.Dispense(10000, kT + 10 * kMinute);  // at the visit's millisecond: in its figure
  cash.Return(10000, kT + 5 * kMinute);
  cash.Apply(Count({{10000, 3}}), kT + 9 * kMinute);  // a count of the old cassettes
  EXPECT_EQ(cash.notes, (Notes{100, 0, 0, 0}));
  EXPECT_EQ(cash.discrepancies, 0U);
  EXPECT_EQ(cash.dispensed_yen, 0);
  EXPECT_EQ(cash.late_events, 4U);
  // A late visit is still a visit (and a cost), but not the cassettes in the ATM.
  cash.Apply(Visit({{1000, 10}}, 9000), kT + 8 * kMinute);
  EXPECT_EQ(cash.notes, (Notes{100, 0, 0, 0}));
  EXPECT_EQ(cash.replenishments, 2U);
  EXPECT_EQ(cash.in_transit_cost_yen, 9000);
  EXPECT_EQ(cash.late_events, 5U);
}

TEST(CashPositionTest, AWithdrawalOlderThanACountIsInTheCountAlready) {
  CashPosition cash;
  cash.Apply(Visit({{10000, 100}}), kT);
  cash.Apply(Count({{10000, 90}}), kT + 10 * kMinute);
  cash.Dispense(100000, kT + 5 * kMinute);
  EXPECT_EQ(cash.notes, (Notes{90, 0, 0, 0}));
  EXPECT_EQ(cash.late_events, 1U);
}

TEST(CashPositionTest, SaveAndRestoreKeepEverything) {
  CashPosition cash;
  cash.Apply(Visit({{10000, 100}, {2000, 50}}, 12000), kT);
  cash.Dispense(34000, kT + kMinute);
  cash.Return(2000, kT + 2 * kMinute);
  cash.Apply(Count({{10000, 90}}), kT + 3 * kMinute);
  cash.Dispense(1000, kT + 4 * kMinute);
  cash.Dispense(1000, kT);
  CashPositionState saved;
  cash.Save(&saved);
  CashPosition restored;
  restored.Restore(saved);
  EXPECT_EQ(restored.as_of_unix_ms, cash.as_of_unix_ms);
  EXPECT_EQ(restored.notes, cash.notes);
  EXPECT_EQ(restored.loaded, cash.loaded);
  EXPECT_EQ(restored.dispensed_yen, cash.dispensed_yen);
  EXPECT_EQ(restored.returned_yen, cash.returned_yen);
  EXPECT_EQ(restored.discrepancy_yen, cash.discrepancy_yen);
  EXPECT_EQ(restored.in_transit_cost_yen, cash.in_transit_cost_yen);
  EXPECT_EQ(restored.replenishments, cash.replenishments);
  EXPECT_EQ(restored.discrepancies, cash.discrepancies);
  EXPECT_EQ(restored.short_withdrawals, cash.short_withdrawals);
  EXPECT_EQ(restored.late_events, cash.late_events);
  EXPECT_EQ(restored.short_withdrawals, 1U);
}

}  // namespace
}  // namespace atmwatch::engine
