#pragma once

// For the engine's tests: usage records as the engine would apply them.

#include <cstdint>
#include <functional>

#include "engine/breakeven.h"
#include "engine/daily_usage.h"
#include "engine/ledger.h"

namespace atmwatch::engine {

// An approved 10,000-yen withdrawal at `atm`, at noon of local `day`,
// earning `commission_yen`.
void AddWithdrawal(DailyUsage& usage, AtmIndex atm, int64_t day, int64_t commission_yen);

// The records the business figures are computed from, filled by hand: the
// default calendar, usage, a ledger and a cost model.
class TestBooks {
 public:
  // `atms` ATMs each doing `per_atm(day)` withdrawals of 100 yen of
  // commission every day from `first` to `last`.
  void Use(int atms, int64_t first, int64_t last, const std::function<int(int64_t)>& per_atm);
  Ledger& ledger() { return ledger_; }
  CostModel& costs() { return costs_; }
  BusinessRecords records() const { return {usage_, ledger_, calendar_, costs_}; }

 private:
  Calendar calendar_;
  DailyUsage usage_;
  Ledger ledger_;
  CostModel costs_;
};

}  // namespace atmwatch::engine
