#pragma once

#include "metrics/engine_scrape_source.h"

namespace atmwatch::metrics {

// The MVNO lines, rendered from the engine's line table at scrape time:
//
//   atmwatch_mvno_lines{carrier,state}
//   atmwatch_mvno_line_up{line_id}                      bound lines only
//   atmwatch_mvno_line_flaps_total{line_id}             bound lines only
//   atmwatch_mvno_line_signal_dbm{line_id}              bound lines with a reading only
//   atmwatch_mvno_bytes_total{carrier,direction}
//   atmwatch_mvno_sessions_total{carrier,event}
//   atmwatch_mvno_session_ends_total{carrier,cause}     cause: terminate_cause.h
//   atmwatch_mvno_stale_sessions{carrier}
//   atmwatch_mvno_line_events_ignored_total{reason}
//   atmwatch_mvno_active_lines_target                   absent without a target
//
// The cost of a scrape grows with ATMs, carriers and bound lines, never with
// the number of unbound lines.
class MvnoLineCollector : public EngineScrapeSource {
 public:
  using EngineScrapeSource::EngineScrapeSource;
  void WriteText(TextWriter& out) const override;
};

}  // namespace atmwatch::metrics
