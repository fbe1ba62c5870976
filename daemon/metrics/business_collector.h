#pragma once

#include <cstdint>
#include <functional>

#include "metrics/exposition.h"

namespace atmwatch::engine {
class Engine;
}

namespace atmwatch::metrics {

// The operator's road to breakeven, computed from the engine at scrape time
// for the local day of the wall clock (see engine/breakeven.h for the
// formulas and where costs come from):
//   atmwatch_breakeven_transactions_per_atm_day
//   atmwatch_breakeven_progress_ratio{window=day|7d|quarter|fiscal_year}
//   atmwatch_operating_income_yen{period=quarter|fiscal_year}   to date
//   atmwatch_breakeven_projected_date_seconds                   local midnight of the day
//   atmwatch_breakeven_projection_within_horizon                1 or 0
// A figure that does not exist (no costs, no usage, no projection within
// the horizon) is left out rather than exported as NaN; the 0/1 gauge says
// whether the projected date is there. The engine must outlive the collector.
class BusinessCollector : public ScrapeSource {
 public:
  using Clock = std::function<std::int64_t()>;  // now, UTC milliseconds

  BusinessCollector(const engine::Engine& engine, Clock clock)
      : engine_(engine), clock_(std::move(clock)) {}
  void WriteText(TextWriter& out) const override;

 private:
  const engine::Engine& engine_;
  Clock clock_;
};

}  // namespace atmwatch::metrics
