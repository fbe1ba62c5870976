#include "engine/ledger.h"

#include <stdexcept>

namespace atmwatch::engine {

void LedgerTotals::Add(const LedgerTotals& other) {
  cost_yen += other.cost_yen;
  expenses_yen += other.expenses_yen;
  other_revenue_yen += other.other_revenue_yen;
  cost_entries += other.cost_entries;
  expense_entries += other.expense_entries;
  other_revenue_entries += other.other_revenue_entries;
}

void Ledger::Book(LedgerCategory category, int64_t local_day, int64_t amount_yen) {
  LedgerTotals entry;
  switch (category) {
    case LedgerCategory::kCost:
      entry.cost_yen = amount_yen;
      entry.cost_entries = 1;
      break;
    case LedgerCategory::kExpense:
      entry.expenses_yen = amount_yen;
      entry.expense_entries = 1;
      break;
    case LedgerCategory::kOtherRevenue:
      entry.other_revenue_yen = amount_yen;
      entry.other_revenue_entries = 1;
      break;
    default:
      throw std::invalid_argument("Ledger::Book: unknown category");
  }
  days_[local_day].Add(entry);
}

LedgerTotals Ledger::Totals(DayRange range) const {
  LedgerTotals totals;
  if (range.days() == 0) return totals;
  for (auto it = days_.lower_bound(range.first); it != days_.end() && it->first <= range.last;
       ++it) {
    totals.Add(it->second);
  }
  return totals;
}

}  // namespace atmwatch::engine
