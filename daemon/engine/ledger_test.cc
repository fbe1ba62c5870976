#include "engine/ledger.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "engine_state.pb.h"

namespace atmwatch::engine {
namespace {

using namespace std::chrono;

TEST(LedgerTest, SumsEachCategoryOverTheRange) {
  Ledger ledger;
  const int64_t day = DayNumberOf(2010y / May / 31);
  ledger.Book(LedgerCategory::kCost, day, 1'000'000);
  ledger.Book(LedgerCategory::kCost, day + 1, 500'000);
  ledger.Book(LedgerCategory::kExpense, day, 300'000);
  ledger.Book(LedgerCategory::kOtherRevenue, day, 20'000);

  LedgerTotals may_31 = ledger.Totals({day, day});
  EXPECT_EQ(may_31.cost_yen, 1'000'000);
  EXPECT_EQ(may_31.expenses_yen, 300'000);
  EXPECT_EQ(may_31.other_revenue_yen, 20'000);
  EXPECT_EQ(may_31.cost_entries, 1u);
  EXPECT_EQ(may_31.expense_entries, 1u);
  EXPECT_EQ(may_31.other_revenue_entries, 1u);
  EXPECT_EQ(ledger.Totals({day, day + 1}).cost_yen, 1'500'000);
  EXPECT_FALSE(ledger.Totals({day + 2, day + 30}).has_bookings());
  EXPECT_FALSE(ledger.Totals({day + 1, day}).has_bookings());  // empty range
}

TEST(LedgerTest, FiscalPeriodsSplitAtTheFiscalYearStart) {
  Calendar tokyo;
  Ledger ledger;
  ledger.Book(LedgerCategory::kCost, DayNumberOf(2010y / March / 31), 7);
  ledger.Book(LedgerCategory::kCost, DayNumberOf(2010y / April / 1), 11);
  ledger.Book(LedgerCategory::kExpense, DayNumberOf(2011y / March / 31), 13);

  EXPECT_EQ(ledger.Quarter(tokyo, {2009, 4}).cost_yen, 7);
  EXPECT_EQ(ledger.Quarter(tokyo, {2010, 1}).cost_yen, 11);
  EXPECT_EQ(ledger.Quarter(tokyo, {2010, 4}).expenses_yen, 13);
  EXPECT_EQ(ledger.FiscalYear(tokyo, 2009).cost_yen, 7);
  EXPECT_EQ(ledger.FiscalYear(tokyo, 2010).cost_yen, 11);
  EXPECT_EQ(ledger.FiscalYear(tokyo, 2010).expenses_yen, 13);
  EXPECT_FALSE(ledger.Quarter(tokyo, {2010, 2}).has_bookings());
}

// Visits are a known cost but no booking: the period stays modelled.
TEST(LedgerTest, CashInTransitSumsByVisitDayAndIsNoBooking) {
  Ledger ledger;
  ledger.RecordCashInTransit(200, 15'000);
  ledger.RecordCashInTransit(200, 12'000);
  ledger.RecordCashInTransit(203, 15'000);

  EXPECT_EQ(ledger.Totals({200, 200}).cash_in_transit_yen, 27'000);
  EXPECT_EQ(ledger.Totals({200, 203}).cash_in_transit_yen, 42'000);
  EXPECT_EQ(ledger.Totals({201, 202}).cash_in_transit_yen, 0);
  EXPECT_FALSE(ledger.Totals({200, 203}).has_bookings());
  EXPECT_TRUE(ledger.booked_days().days() == 0);

  LedgerState saved;
  ledger.Save(&saved);
  Ledger restored;
  restored.Book(LedgerCategory::kCost, 1, 5);  // replaced by the restore
  restored.Restore(saved);
  EXPECT_EQ(restored.Totals({0, 300}).cash_in_transit_yen, 42'000);
  EXPECT_FALSE(restored.Totals({0, 300}).has_bookings());
}

TEST(LedgerTest, CorrectionToZeroStillCountsAsBooked) {
  Ledger ledger;
  ledger.Book(LedgerCategory::kExpense, 100, 250'000);
  ledger.Book(LedgerCategory::kExpense, 101, -250'000);

  LedgerTotals totals = ledger.Totals({100, 101});
  EXPECT_EQ(totals.expenses_yen, 0);
  EXPECT_EQ(totals.expense_entries, 2u);
  EXPECT_TRUE(totals.has_bookings());
}

TEST(LedgerTest, EachCategoryCountsItsOwnEntries) {
  Ledger ledger;
  ledger.Book(LedgerCategory::kOtherRevenue, 100, 5'000);

  LedgerTotals totals = ledger.Totals({100, 100});
  EXPECT_TRUE(totals.has_bookings());
  EXPECT_EQ(totals.other_revenue_entries, 1u);
  EXPECT_EQ(totals.cost_entries, 0u);
  EXPECT_EQ(totals.expense_entries, 0u);
}

TEST(LedgerTest, RefusesAnUnknownCategory) {
  Ledger ledger;
  EXPECT_THROW(ledger.Book(static_cast<LedgerCategory>(0), 100, 1), std::invalid_argument);
  EXPECT_FALSE(ledger.Totals({100, 100}).has_bookings());
}

}  // namespace
}  // namespace atmwatch::engine
