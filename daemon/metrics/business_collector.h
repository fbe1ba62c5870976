#pragma once

#include "metrics/engine_scrape_source.h"

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
// whether the projected date is there.
class BusinessCollector : public EngineScrapeSource {
 public:
  using EngineScrapeSource::EngineScrapeSource;
  void WriteText(TextWriter& out) const override;
};

}  // namespace atmwatch::metrics
