#include "engine/ledger.h"

#include <stdexcept>

#include "engine_state.pb.h"

namespace atmwatch::engine {

void LedgerTotals::Add(const LedgerTotals& other) {
  cost_yen += other.cost_yen;
  expenses_yen += other.expenses_yen;
  other_revenue_yen += other.other_revenue_yen;
  cost_entries += other.cost_entries;
  expense_entries += other.expense_entries;
  other_revenue_entries += other.other_revenue_entries;
  cash_in_transit_yen += other.cash_in_transit_yen;
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

void Ledger::RecordCashInTransit(int64_t local_day, int64_t cost_yen) {
  cash_in_transit_yen_[local_day] += cost_yen;
}

LedgerTotals Ledger::Totals(DayRange range) const {
  LedgerTotals totals;
  if (range.days() == 0) return totals;
  for (auto it = days_.lower_bound(range.first); it != days_.end() && it->first <= range.last;
       ++it) {
    totals.Add(it->second);
  }
  for (auto it = cash_in_transit_yen_.lower_bound(range.first);
       it != cash_in_transit_yen_.end() && it->first <= range.last; ++it) {
    totals.cash_in_transit_yen += it->second;
  }
  return totals;
}

DayRange Ledger::booked_days() const {
  if (days_.empty()) return {};
  return {days_.begin()->first, days_.rbegin()->first};
}

void Ledger::Save(LedgerState* out) const {
  for (const auto& [day, totals] : days_) {
    LedgerDay* saved = out->add_days();
    saved->set_day(day);
    saved->set_cost_yen(totals.cost_yen);
    saved->set_expenses_yen(totals.expenses_yen);
    saved->set_other_revenue_yen(totals.other_revenue_yen);
    saved->set_cost_entries(totals.cost_entries);
    saved->set_expense_entries(totals.expense_entries);
    saved->set_other_revenue_entries(totals.other_revenue_entries);
  }
  for (const auto& [day, yen] : cash_in_transit_yen_) {
    LedgerCashInTransitDay* saved = out->add_cash_in_transit();
    saved->set_day(day);
    saved->set_cost_yen(yen);
  }
}

void Ledger::Restore(const LedgerState& saved) {
  days_.clear();
  for (const LedgerDay& day : saved.days()) {
    days_[day.day()] = LedgerTotals{.cost_yen = day.cost_yen(),
                                    .expenses_yen = day.expenses_yen(),
                                    .other_revenue_yen = day.other_revenue_yen(),
                                    .cost_entries = day.cost_entries(),
                                    .expense_entries = day.expense_entries(),
                                    .other_revenue_entries = day.other_revenue_entries()};
  }
  cash_in_transit_yen_.clear();
  for (const LedgerCashInTransitDay& day : saved.cash_in_transit()) {
    cash_in_transit_yen_[day.day()] = day.cost_yen();
  }
}

}  // namespace atmwatch::engine
