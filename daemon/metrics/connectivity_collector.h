#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "metrics/exposition.h"

namespace atmwatch::engine {
class Engine;
}

namespace atmwatch::metrics {

// ATM state and MVNO lines, rendered from the engine at scrape time:
//
//   atmwatch_atm_state{atm_id,state}                    1 for the current state, 0 for the others
//   atmwatch_atm_state_since_timestamp_seconds{atm_id}  when it entered it; 0 before any status
//   atmwatch_atm_up{atm_id}                             serves, line up, not silent (now)
//   atmwatch_atms{state}                                ATMs per reported state
//   atmwatch_atm_available_seconds_today{atm_id}        business seconds up today so far
//   atmwatch_business_seconds_today                     business seconds of today so far
//   atmwatch_business_open                             1 while now is within business hours
//   atmwatch_mvno_lines{carrier,state}
//   atmwatch_mvno_line_up{line_id}                      bound lines only
//   atmwatch_mvno_line_flaps_total{line_id}             bound lines only
//   atmwatch_mvno_bytes_total{carrier,direction}
//   atmwatch_mvno_sessions_total{carrier,event}
//   atmwatch_mvno_stale_sessions{carrier}
//   atmwatch_mvno_line_events_ignored_total{reason}
//   atmwatch_mvno_active_lines_target                   absent without a target
//
// The cost of a scrape grows with ATMs, carriers and bound lines, never with
// the number of unbound lines. The engine must outlive the collector.
class ConnectivityCollector : public ScrapeSource {
 public:
  using Clock = std::function<std::int64_t()>;  // now, UTC milliseconds

  ConnectivityCollector(const engine::Engine& engine, Clock clock)
      : engine_(engine), clock_(std::move(clock)) {}
  void WriteText(TextWriter& out) const override;

 private:
  const engine::Engine& engine_;
  Clock clock_;
};

// atmwatch_ingest_source_last_batch_timestamp_seconds{source_id} for the
// tracked sources and atmwatch_ingest_sources (every source known).
class IngestSourceCollector : public ScrapeSource {
 public:
  struct Sources {
    std::vector<std::pair<std::string, std::int64_t>> last_batch_unix_ms;
    std::size_t count = 0;
  };
  using Read = std::function<Sources()>;

  explicit IngestSourceCollector(Read read) : read_(std::move(read)) {}
  void WriteText(TextWriter& out) const override;

 private:
  Read read_;
};

}  // namespace atmwatch::metrics
