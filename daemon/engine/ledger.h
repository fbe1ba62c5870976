#pragma once

// What finance booked: costs, expenses and other revenue by local booking
// date, so that fiscal-period figures are exact rather than modelled.
//
// Amounts are yen and may be negative (corrections). A period has bookings
// of a category when any entry of it is dated in the period, even when they
// sum to zero: finance has spoken for that period. Entries are kept as
// per-day sums for all time (a few dozen bytes per booking day).
//
// Beside the bookings, the cash-in-transit cost of replenishment visits as
// the visits report it, by the local day of the visit: a cost the business
// knows before finance books it, which the breakeven model adds where it
// models a period (breakeven.h). It is no booking: a quarter with visits but
// no COST entry is still modelled.
//
// Not thread-safe; the engine serialises access.

#include <cstdint>
#include <map>
#include <optional>

#include "engine/day_range.h"

namespace atmwatch::engine {

class LedgerState;

// The proto enum values of v1::LedgerEntry::Category.
enum class LedgerCategory {
  kCost = 1,
  kExpense = 2,
  kOtherRevenue = 3,
};

struct LedgerTotals {
  int64_t cost_yen = 0;
  int64_t expenses_yen = 0;
  int64_t other_revenue_yen = 0;
  uint32_t cost_entries = 0;
  uint32_t expense_entries = 0;
  uint32_t other_revenue_entries = 0;
  int64_t cash_in_transit_yen = 0;  // replenishment visits, not a booking

  bool has_bookings() const { return cost_entries + expense_entries + other_revenue_entries > 0; }
  void Add(const LedgerTotals& other);
};

class Ledger {
 public:
  // Throws std::invalid_argument for a category outside the enum: validation
  // upstream makes that a programming error.
  void Book(LedgerCategory category, int64_t local_day, int64_t amount_yen);
  // A replenishment visit's cash-in-transit cost, yen.
  void RecordCashInTransit(int64_t local_day, int64_t cost_yen);

  LedgerTotals Totals(DayRange range) const;
  LedgerTotals Quarter(const Calendar& calendar, FiscalQuarter quarter) const {
    return Totals(QuarterDays(calendar, quarter));
  }
  LedgerTotals FiscalYear(const Calendar& calendar, int fiscal_year) const {
    return Totals(FiscalYearDays(calendar, fiscal_year));
  }

  // The booking days of the first and last entry; empty before the first.
  DayRange booked_days() const;

  // Snapshots; Restore replaces every booking.
  void Save(LedgerState* out) const;
  void Restore(const LedgerState& saved);

 private:
  std::map<int64_t, LedgerTotals> days_;            // by booking day
  std::map<int64_t, int64_t> cash_in_transit_yen_;  // by visit day
};

}  // namespace atmwatch::engine
