#pragma once

#include <prometheus/collectable.h>

namespace atmwatch::engine {
class Engine;
}

namespace atmwatch::metrics {

// Renders the per-ATM aggregates straight from the engine at scrape time, so
// thousands of ATMs cost no per-series objects between scrapes.
//
// Every inventory ATM has all its series from start-up (at 0), so rate() and
// increase() see its first transaction; ATMs seen only in events get series
// for the combinations they have used. The engine must outlive the collector.
class AtmCollector : public prometheus::Collectable {
 public:
  explicit AtmCollector(const engine::Engine& engine) : engine_(engine) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const engine::Engine& engine_;
};

}  // namespace atmwatch::metrics
