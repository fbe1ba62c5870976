#pragma once

#include "metrics/exposition.h"

namespace atmwatch::engine {
class Engine;
}

namespace atmwatch::metrics {

// Each ATM's reported hardware components and retained cards
// (engine/device_health.h), rendered from the engine at scrape time:
//   atmwatch_atm_component_status{atm_id,component}         0 ok, 1 warning, 2 fatal
//   atmwatch_atm_component_status_since_timestamp_seconds{atm_id,component}
//   atmwatch_atm_cards_retained_total{atm_id,reason}
// Only components an ATM has reported have series (one never reported is
// unknown, not broken); the card counters exist for every reason from an
// ATM's first report or retained card, so increase() sees the first card.
// The component label is one of 13 names, the reason one of 3: bounded.
//
// The figures are copied out under the engine's read lock and written after
// it is released. The engine must outlive the collector.
class DeviceCollector : public ScrapeSource {
 public:
  explicit DeviceCollector(const engine::Engine& engine) : engine_(engine) {}
  void WriteText(TextWriter& out) const override;

 private:
  const engine::Engine& engine_;
};

}  // namespace atmwatch::metrics
