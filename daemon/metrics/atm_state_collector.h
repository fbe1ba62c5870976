#pragma once

#include "metrics/engine_scrape_source.h"

namespace atmwatch::metrics {

// Each ATM's reported state and whether it is up, rendered from the engine
// at scrape time, with the business hours its availability is counted in:
//
//   atmwatch_atm_state{atm_id,state}                    1 for the current state, 0 for the others
//   atmwatch_atm_state_since_timestamp_seconds{atm_id}  when it entered it; 0 before any status
//   atmwatch_atm_up{atm_id}                             serves, line up, not silent (now)
//   atmwatch_atms{state}                                ATMs per reported state
//   atmwatch_atm_available_seconds_today{atm_id}        business seconds up today so far
//   atmwatch_business_seconds_today                     business seconds of today so far
//   atmwatch_business_open                              1 while now is within business hours
class AtmStateCollector : public EngineScrapeSource {
 public:
  using EngineScrapeSource::EngineScrapeSource;
  void WriteText(TextWriter& out) const override;
};

}  // namespace atmwatch::metrics
