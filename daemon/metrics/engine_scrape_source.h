#pragma once

#include <cstdint>
#include <functional>

#include "metrics/exposition.h"

namespace atmwatch::engine {
class Engine;
}

namespace atmwatch::metrics {

// A scrape source that renders the engine's aggregates as of the wall clock
// at scrape time, so daily gauges roll over at local midnight without an
// event arriving. The engine must outlive the source.
class EngineScrapeSource : public ScrapeSource {
 public:
  using Clock = std::function<std::int64_t()>;  // now, UTC milliseconds

  EngineScrapeSource(const engine::Engine& engine, Clock clock)
      : engine_(engine), clock_(std::move(clock)) {}

 protected:
  const engine::Engine& engine() const { return engine_; }
  std::int64_t now_unix_ms() const { return clock_(); }

 private:
  const engine::Engine& engine_;
  Clock clock_;
};

}  // namespace atmwatch::metrics
