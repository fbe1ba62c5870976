#include "metrics/mvno_line_collector.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

using Type = TextWriter::Type;

struct CarrierRow {
  std::string carrier;
  engine::CarrierTotals totals;  // totals.carrier is not kept: it points into the engine
};

struct LineRow {
  std::string line_id;
  bool up;
  std::uint64_t flaps;
  std::optional<std::int16_t> signal_dbm;
};

}  // namespace

void MvnoLineCollector::WriteText(TextWriter& out) const {
  std::vector<CarrierRow> carriers;
  std::vector<LineRow> lines;
  engine::LineTableCounters counters;
  std::int64_t lines_target = 0;

  const std::int64_t now = now_unix_ms();
  engine().Read([&](const engine::EngineView& view) {
    // Bound lines are the inventory's, so they are the ATMs' lines.
    for (engine::AtmIndex atm = 0; atm < view.fleet.size(); ++atm) {
      const engine::EngineView::AtmLine line = view.LineOfAtm(atm, now);
      if (line.line_id != nullptr) {
        lines.push_back({*line.line_id, engine::EngineView::LineUp(line.line), line.line.flaps,
                         line.line.signal_dbm});
      }
    }
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
               "1 when the ATM-bound line is in a data session that is not stale; else 0 (a line "
               "only attached carries no transactions). Lines bound to an ATM in the inventory "
               "only.",
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
    const bool any_signal =
        std::any_of(lines.begin(), lines.end(), [](const LineRow& row) { return row.signal_dbm; });
    if (any_signal) {
      out.Family("atmwatch_mvno_line_signal_dbm",
                 "Last radio signal strength the ATM-bound line reported, dBm. Bound lines with a "
                 "reading only.",
                 Type::kGauge);
      for (const LineRow& row : lines) {
        if (!row.signal_dbm) continue;
        out.Sample("atmwatch_mvno_line_signal_dbm", {{"line_id", row.line_id}},
                   static_cast<double>(*row.signal_dbm));
      }
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
    out.Family("atmwatch_mvno_session_ends_total",
               "Accounting sessions ended, by carrier and RADIUS Acct-Terminate-Cause (unknown: "
               "ended without a cause; other: a cause outside RFC 2866).",
               Type::kCounter);
    for (const CarrierRow& row : carriers) {
      for (std::size_t c = 0; c < events::kTerminateCauseCount; ++c) {
        out.Sample("atmwatch_mvno_session_ends_total",
                   {{"carrier", row.carrier},
                    {"cause", events::TerminateCauseLabel(static_cast<events::TerminateCause>(c))}},
                   static_cast<double>(row.totals.session_ends[c]));
      }
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

}  // namespace atmwatch::metrics
