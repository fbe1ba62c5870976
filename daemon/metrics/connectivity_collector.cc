#include "metrics/connectivity_collector.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

using Type = TextWriter::Type;

// One ATM's state as of the scrape, copied out of the engine.
struct AtmStateRow {
  std::string atm_label;  // atm_id="…"
  engine::AtmServiceState state;
  std::int64_t state_since_unix_ms;
  bool up;
  std::int64_t available_seconds_today;
};

struct CarrierRow {
  std::string carrier;
  engine::CarrierTotals totals;  // totals.carrier is not kept: it points into the engine
};

struct LineRow {
  std::string line_id;
  bool up;
  std::uint64_t flaps;
};

std::string_view StateName(std::size_t state) {
  return engine::AtmStateName(static_cast<engine::AtmServiceState>(state));
}

}  // namespace

void ConnectivityCollector::WriteText(TextWriter& out) const {
  std::vector<AtmStateRow> atms;
  std::array<std::uint64_t, engine::kAtmStateCount> per_state{};
  std::int64_t business_seconds = 0;
  bool business_open = false;
  std::vector<CarrierRow> carriers;
  std::vector<LineRow> lines;
  engine::LineTableCounters counters;
  std::int64_t lines_target = 0;

  const std::int64_t now = clock_();
  engine_.Read([&](const engine::EngineView& view) {
    const std::int64_t day = view.calendar.LocalDayNumber(now);
    atms.reserve(view.fleet.size());
    for (engine::AtmIndex atm = 0; atm < view.fleet.size(); ++atm) {
      const engine::AtmAvailability& availability = view.atms[atm].availability;
      const engine::EngineView::AtmLine line = view.LineOfAtm(atm, now);
      atms.push_back({TextWriter::RenderLabel("atm_id", view.fleet.id(atm)), availability.state,
                      availability.state_since_unix_ms, view.AtmUp(atm, now, line),
                      view.AvailableSecondsToday(atm, now, line)});
      ++per_state[static_cast<std::size_t>(availability.state)];
      // Bound lines are the inventory's, so they are the ATMs' lines.
      if (line.line_id != nullptr) {
        lines.push_back({*line.line_id, engine::EngineView::LineUp(line.line), line.line.flaps});
      }
    }
    business_seconds = view.business_hours.SecondsSoFar(view.calendar, day, now);
    business_open = view.business_hours.Contains(view.calendar, now);
    for (const engine::CarrierTotals& totals : view.lines.Totals(now)) {
      carriers.push_back({std::string(totals.carrier), totals});
    }
    counters = view.lines.counters();
    lines_target = view.mvno_lines_target;
  });
  // By line id, once each, as the table's set of bound lines has them (ATMs
  // may share a line).
  std::sort(lines.begin(), lines.end(),
            [](const LineRow& a, const LineRow& b) { return a.line_id < b.line_id; });
  lines.erase(
      std::unique(lines.begin(), lines.end(),
                  [](const LineRow& a, const LineRow& b) { return a.line_id == b.line_id; }),
      lines.end());

  if (!atms.empty()) {
    out.Family("atmwatch_atm_state",
               "The state each ATM last reported: 1 for the current one, 0 for the others. ATMs "
               "are in_service until their first status.",
               Type::kGauge);
    for (const AtmStateRow& row : atms) {
      for (std::size_t s = 0; s < engine::kAtmStateCount; ++s) {
        out.Sample("atmwatch_atm_state", row.atm_label, {{"state", StateName(s)}},
                   static_cast<std::size_t>(row.state) == s ? 1 : 0);
      }
    }
    out.Family("atmwatch_atm_state_since_timestamp_seconds",
               "Event time the ATM entered its current state, Unix seconds; 0 before its first "
               "status.",
               Type::kGauge);
    for (const AtmStateRow& row : atms) {
      out.Sample("atmwatch_atm_state_since_timestamp_seconds", row.atm_label, {},
                 static_cast<double>(row.state_since_unix_ms / 1000));
    }
    out.Family("atmwatch_atm_up",
               "1 when the ATM is in service (or cash low), its MVNO line (if the inventory names "
               "one) is up and it sent a heartbeat, status or transaction within atm_silence; "
               "else 0.",
               Type::kGauge);
    for (const AtmStateRow& row : atms) {
      out.Sample("atmwatch_atm_up", row.atm_label, {}, row.up ? 1 : 0);
    }
  }
  out.Family("atmwatch_atms", "ATMs by the state they last reported.", Type::kGauge);
  for (std::size_t s = 0; s < engine::kAtmStateCount; ++s) {
    out.Sample("atmwatch_atms", {{"state", StateName(s)}}, static_cast<double>(per_state[s]));
  }
  if (!atms.empty()) {
    out.Family("atmwatch_atm_available_seconds_today",
               "Seconds of today's business hours (local) the ATM was up, so far.", Type::kGauge);
    for (const AtmStateRow& row : atms) {
      out.Sample("atmwatch_atm_available_seconds_today", row.atm_label, {},
                 static_cast<double>(row.available_seconds_today));
    }
  }
  out.Family("atmwatch_business_seconds_today",
             "Seconds of today's business hours (local) that have passed.", Type::kGauge);
  out.Sample("atmwatch_business_seconds_today", {}, static_cast<double>(business_seconds));
  out.Family("atmwatch_business_open", "1 while the local time is within business hours, else 0.",
             Type::kGauge);
  out.Sample("atmwatch_business_open", {}, business_open ? 1 : 0);

  if (!carriers.empty()) {
    out.Family("atmwatch_mvno_lines", "MVNO lines by carrier and state.", Type::kGauge);
    for (const CarrierRow& row : carriers) {
      for (std::size_t s = 0; s < engine::kLineStateCount; ++s) {
        out.Sample("atmwatch_mvno_lines",
                   {{"carrier", row.carrier},
                    {"state", engine::LineStateName(static_cast<engine::LineState>(s))}},
                   static_cast<double>(row.totals.lines[s]));
      }
    }
  }
  if (!lines.empty()) {
    out.Family("atmwatch_mvno_line_up",
               "1 when the ATM-bound line is attached or in session and not stale; else 0. Lines "
               "bound to an ATM in the inventory only.",
               Type::kGauge);
    for (const LineRow& row : lines) {
      out.Sample("atmwatch_mvno_line_up", {{"line_id", row.line_id}}, row.up ? 1 : 0);
    }
    out.Family("atmwatch_mvno_line_flaps_total",
               "State changes of the ATM-bound line within the flap window of the one before.",
               Type::kCounter);
    for (const LineRow& row : lines) {
      out.Sample("atmwatch_mvno_line_flaps_total", {{"line_id", row.line_id}},
                 static_cast<double>(row.flaps));
    }
  }
  if (!carriers.empty()) {
    out.Family("atmwatch_mvno_bytes_total",
               "Bytes carried by the carrier's lines (in: received by the lines).", Type::kCounter);
    for (const CarrierRow& row : carriers) {
      out.Sample("atmwatch_mvno_bytes_total", {{"carrier", row.carrier}, {"direction", "in"}},
                 static_cast<double>(row.totals.bytes_in));
      out.Sample("atmwatch_mvno_bytes_total", {{"carrier", row.carrier}, {"direction", "out"}},
                 static_cast<double>(row.totals.bytes_out));
    }
    out.Family("atmwatch_mvno_sessions_total",
               "Accounting sessions started and stopped, by carrier.", Type::kCounter);
    for (const CarrierRow& row : carriers) {
      out.Sample("atmwatch_mvno_sessions_total", {{"carrier", row.carrier}, {"event", "started"}},
                 static_cast<double>(row.totals.sessions_started));
      out.Sample("atmwatch_mvno_sessions_total", {{"carrier", row.carrier}, {"event", "stopped"}},
                 static_cast<double>(row.totals.sessions_stopped));
    }
    out.Family("atmwatch_mvno_stale_sessions",
               "Lines in session without an event for more than twice lines.interim_interval.",
               Type::kGauge);
    for (const CarrierRow& row : carriers) {
      out.Sample("atmwatch_mvno_stale_sessions", {{"carrier", row.carrier}},
                 static_cast<double>(row.totals.stale_sessions));
    }
  }
  out.Family("atmwatch_mvno_line_events_ignored_total",
             "Line events that changed nothing: stale (late or of an ended session), duplicate, "
             "invalid, or of a new line beyond lines.max_lines.",
             Type::kCounter);
  const std::pair<const char*, std::uint64_t> reasons[] = {
      {"stale", counters.ignored_stale},
      {"duplicate", counters.ignored_duplicate},
      {"invalid", counters.ignored_invalid},
      {"line_cap", counters.ignored_cap}};
  for (const auto& [reason, count] : reasons) {
    out.Sample("atmwatch_mvno_line_events_ignored_total", {{"reason", reason}},
               static_cast<double>(count));
  }
  if (lines_target > 0) {
    out.Family("atmwatch_mvno_active_lines_target",
               "Target number of active MVNO lines (targets.mvno_lines).", Type::kGauge);
    out.Sample("atmwatch_mvno_active_lines_target", {}, static_cast<double>(lines_target));
  }
}

void IngestSourceCollector::WriteText(TextWriter& out) const {
  const Sources sources = read_();
  if (!sources.last_batch_unix_ms.empty()) {
    out.Family("atmwatch_ingest_source_last_batch_timestamp_seconds",
               "When a batch of the source was last applied (daemon clock), Unix seconds; for "
               "the first ingest.max_sources sources since start-up.",
               Type::kGauge);
    for (const auto& [source, unix_ms] : sources.last_batch_unix_ms) {
      out.Sample("atmwatch_ingest_source_last_batch_timestamp_seconds", {{"source_id", source}},
                 static_cast<double>(unix_ms) / 1000.0);
    }
  }
  out.Family("atmwatch_ingest_sources",
             "Sources known to the daemon (with or without their own series).", Type::kGauge);
  out.Sample("atmwatch_ingest_sources", {}, static_cast<double>(sources.count));
}

}  // namespace atmwatch::metrics
