#pragma once

#include "metrics/exposition.h"

namespace atmwatch::engine {
class Engine;
}

namespace atmwatch::metrics {

// The cash in each ATM and its cash counters (engine/cash_position.h),
// rendered from the engine at scrape time:
//   atmwatch_atm_cash_remaining_yen{atm_id}            ATMs with a known position
//   atmwatch_atm_cash_dispensed_yen_total{atm_id}      and the counters below,
//   atmwatch_atm_cash_returned_yen_total{atm_id}       for every ATM with a cash
//   atmwatch_atm_cash_replenishments_total{atm_id}     event, from its first one,
//   atmwatch_atm_cash_in_transit_cost_yen_total{atm_id}  so that increase() sees
//   atmwatch_atm_cash_discrepancies_total{atm_id}      the first discrepancy
//   atmwatch_atm_cash_discrepancy_yen_total{atm_id}
//   atmwatch_atm_cash_short_withdrawals_total{atm_id}
//   atmwatch_atm_cash_late_events_total{atm_id}
// Notes per denomination are not exported: four series more per ATM for a
// figure the yen total and a count already answer.
//
// The figures are copied out under the engine's read lock and written after
// it is released. The engine must outlive the collector.
class CashCollector : public ScrapeSource {
 public:
  explicit CashCollector(const engine::Engine& engine) : engine_(engine) {}
  void WriteText(TextWriter& out) const override;

 private:
  const engine::Engine& engine_;
};

}  // namespace atmwatch::metrics
