#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/cash_demand.h"
#include "engine/daily_usage.h"
#include "metrics/engine_scrape_source.h"

namespace atmwatch::metrics {

// When each ATM with a known cash position runs dry, and what it needs until
// its region's next planned visit (engine/cash_demand.h, cash_visits.h), as
// of the wall clock at scrape time:
//   atmwatch_atm_cash_out_forecast_timestamp_seconds{atm_id}  dry within 14 days
//   atmwatch_atm_cash_next_visit_timestamp_seconds{atm_id}    region with visits
//   atmwatch_atm_cash_needed_until_visit_yen{atm_id}          both, and a profile
// An ATM without a demand profile (less than a week of history) has no
// forecast and no need; one whose region has no visits has neither visit
// series.
//
// Thread-safe: concurrent scrapes take turns over the kept profiles.
class CashForecastCollector : public EngineScrapeSource {
 public:
  using EngineScrapeSource::EngineScrapeSource;
  void WriteText(TextWriter& out) const override;

 private:
  // An ATM's profile, learned from days before today: it changes only when
  // a transaction lands on a past day, so it is kept between scrapes.
  struct KeptDemand {
    engine::PastDaysStamp stamp;
    bool learned = false;
    engine::CashDemand demand;
  };

  mutable std::mutex kept_mutex_;
  mutable int64_t kept_day_ = 0;  // the day `kept_` is for
  mutable engine::ProfileReferenceDays kept_reference_days_;
  // By AtmIndex; allocated for ATMs with a cash position only, since most
  // of a fleet may have none and a profile is most of a kilobyte.
  mutable std::vector<std::unique_ptr<KeptDemand>> kept_;
};

}  // namespace atmwatch::metrics
