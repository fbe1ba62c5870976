#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "engine/usage_baseline.h"
#include "metrics/engine_scrape_source.h"

namespace atmwatch::metrics {

// Renders the per-ATM aggregates straight from the engine at scrape time, so
// thousands of ATMs cost no per-series objects between scrapes: lifetime
// counters (transactions, commission), the local day so far against the
// ATM's own baseline, the 7-day average, last transaction and heartbeat
// times, and the inventory.
//
// "Today" is the local day of the wall clock at scrape time, so the daily
// gauges roll over at local midnight without any event arriving.
//
// Every inventory ATM has all its series from start-up (at 0), so rate() and
// increase() see its first transaction; ATMs seen only in events get series
// for the transaction combinations they have used. The figures are copied
// out under the engine's read lock and written after it is released, so a
// scrape holds up the apply thread only for the copy.
//
// Thread-safe: concurrent scrapes take turns over the kept figures.
class AtmCollector : public EngineScrapeSource {
 public:
  using EngineScrapeSource::EngineScrapeSource;
  void WriteText(TextWriter& out) const override;

 private:
  // An ATM's figures of the days before today. Working them out was a third
  // of a 15k-ATM scrape, and they change only when a transaction lands on a
  // past day, so they are kept from one scrape to the next.
  struct PastDays {
    engine::PastDaysStamp stamp;
    bool known = false;
    engine::DayExpectation expected;
    double average_7d = 0;
  };

  engine::UsageBaseline baseline_;
  mutable std::mutex past_mutex_;
  mutable std::int64_t past_day_ = 0;  // the day `past_` is for
  mutable std::vector<std::int64_t> past_reference_days_;
  mutable std::vector<PastDays> past_;  // by AtmIndex
};

}  // namespace atmwatch::metrics
