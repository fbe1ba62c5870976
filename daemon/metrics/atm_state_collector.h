#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <vector>

#include "engine/availability.h"
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
//   atmwatch_atm_business_seconds_today{atm_id}         business seconds of its hours today so far
//   atmwatch_atm_business_open{atm_id}                  1 while now is within its hours
//   atmwatch_atm_business_seconds_total{atm_id}         business seconds since its first event
//   atmwatch_atm_available_seconds_total{atm_id,availability}  good ones: hardware, comms,
//                                                       cardholder (engine/availability.h)
class AtmStateCollector : public EngineScrapeSource {
 public:
  using EngineScrapeSource::EngineScrapeSource;
  void WriteText(TextWriter& out) const override;

 private:
  // The business seconds and each availability's, as last exported.
  using Exported = std::array<std::uint64_t, 1 + engine::kAvailabilityCount>;
  mutable std::mutex exported_mutex_;
  mutable std::vector<Exported> exported_;  // by AtmIndex
};

}  // namespace atmwatch::metrics
