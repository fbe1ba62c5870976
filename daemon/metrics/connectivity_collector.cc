#include "metrics/connectivity_collector.h"

#include <array>

#include "engine/engine.h"
#include "metrics/metric_samples.h"

namespace atmwatch::metrics {

using prometheus::MetricFamily;
using prometheus::MetricType;

std::vector<MetricFamily> ConnectivityCollector::Collect() const {
  MetricFamily state =
      Family("atmwatch_atm_state",
             "The state each ATM last reported: 1 for the current one, 0 for the others. ATMs are "
             "in_service until their first status.",
             MetricType::Gauge);
  MetricFamily since = Family("atmwatch_atm_state_since_timestamp_seconds",
                              "Event time the ATM entered its current state, Unix seconds; 0 "
                              "before its first status.",
                              MetricType::Gauge);
  MetricFamily up = Family(
      "atmwatch_atm_up",
      "1 when the ATM is in service (or cash low), its MVNO line (if the inventory names one) is "
      "up and it sent a heartbeat, status or transaction within atm_silence; else 0.",
      MetricType::Gauge);
  MetricFamily atms =
      Family("atmwatch_atms", "ATMs by the state they last reported.", MetricType::Gauge);
  MetricFamily available = Family(
      "atmwatch_atm_available_seconds_today",
      "Seconds of today's business hours (local) the ATM was up, so far.", MetricType::Gauge);
  MetricFamily business_seconds =
      Family("atmwatch_business_seconds_today",
             "Seconds of today's business hours (local) that have passed.", MetricType::Gauge);
  MetricFamily business_hours =
      Family("atmwatch_business_open", "1 while the local time is within business hours, else 0.",
             MetricType::Gauge);
  MetricFamily lines =
      Family("atmwatch_mvno_lines", "MVNO lines by carrier and state.", MetricType::Gauge);
  MetricFamily line_up = Family(
      "atmwatch_mvno_line_up",
      "1 when the ATM-bound line is attached or in session and not stale; else 0. Lines bound to "
      "an ATM in the inventory only.",
      MetricType::Gauge);
  MetricFamily flaps =
      Family("atmwatch_mvno_line_flaps_total",
             "State changes of the ATM-bound line within the flap window of the one before.",
             MetricType::Counter);
  MetricFamily bytes = Family("atmwatch_mvno_bytes_total",
                              "Bytes carried by the carrier's lines (in: received by the lines).",
                              MetricType::Counter);
  MetricFamily sessions =
      Family("atmwatch_mvno_sessions_total", "Accounting sessions started and stopped, by carrier.",
             MetricType::Counter);
  MetricFamily stale =
      Family("atmwatch_mvno_stale_sessions",
             "Lines in session without an event for more than twice lines.interim_interval.",
             MetricType::Gauge);
  MetricFamily ignored =
      Family("atmwatch_mvno_line_events_ignored_total",
             "Line events that changed nothing: stale (late or of an ended session), duplicate, "
             "invalid, or of a new line beyond lines.max_lines.",
             MetricType::Counter);
  MetricFamily target =
      Family("atmwatch_mvno_active_lines_target",
             "Target number of active MVNO lines (targets.mvno_lines).", MetricType::Gauge);

  const std::int64_t now = clock_();
  engine_.Read([&](const engine::EngineView& view) {
    std::array<std::uint64_t, engine::kAtmStateCount> per_state{};
    const std::int64_t day = view.calendar.LocalDayNumber(now);
    for (engine::AtmIndex atm = 0; atm < view.fleet.size(); ++atm) {
      const std::string& id = view.fleet.id(atm);
      const engine::AtmAvailability& availability = view.atms[atm].availability;
      for (std::size_t s = 0; s < engine::kAtmStateCount; ++s) {
        const auto each = static_cast<engine::AtmServiceState>(s);
        AddSample(state, {{"atm_id", id}, {"state", std::string(engine::AtmStateName(each))}},
                  each == availability.state ? 1 : 0);
      }
      ++per_state[static_cast<std::size_t>(availability.state)];
      AddSample(since, {{"atm_id", id}},
                static_cast<double>(availability.state_since_unix_ms / 1000));
      AddSample(up, {{"atm_id", id}}, view.AtmUp(atm, now) ? 1 : 0);
      AddSample(available, {{"atm_id", id}},
                static_cast<double>(view.AvailableSecondsToday(atm, now)));
    }
    for (std::size_t s = 0; s < engine::kAtmStateCount; ++s) {
      AddSample(
          atms,
          {{"state", std::string(engine::AtmStateName(static_cast<engine::AtmServiceState>(s)))}},
          static_cast<double>(per_state[s]));
    }
    AddSample(business_seconds, {},
              static_cast<double>(view.business_hours.SecondsSoFar(view.calendar, day, now)));
    AddSample(business_hours, {}, view.business_hours.Contains(view.calendar, now) ? 1 : 0);

    for (const engine::CarrierTotals& carrier : view.lines.Totals(now)) {
      const std::string name(carrier.carrier);
      for (std::size_t s = 0; s < engine::kLineStateCount; ++s) {
        AddSample(
            lines,
            {{"carrier", name},
             {"state", std::string(engine::LineStateName(static_cast<engine::LineState>(s)))}},
            static_cast<double>(carrier.lines[s]));
      }
      AddSample(bytes, {{"carrier", name}, {"direction", "in"}},
                static_cast<double>(carrier.bytes_in));
      AddSample(bytes, {{"carrier", name}, {"direction", "out"}},
                static_cast<double>(carrier.bytes_out));
      AddSample(sessions, {{"carrier", name}, {"event", "started"}},
                static_cast<double>(carrier.sessions_started));
      AddSample(sessions, {{"carrier", name}, {"event", "stopped"}},
                static_cast<double>(carrier.sessions_stopped));
      AddSample(stale, {{"carrier", name}}, static_cast<double>(carrier.stale_sessions));
    }
    for (const std::string& line_id : view.lines.bound_lines()) {
      const auto line = view.lines.Find(line_id, now);
      if (!line) continue;
      AddSample(line_up, {{"line_id", line_id}},
                line->state != engine::LineState::kDetached && !line->stale ? 1 : 0);
      AddSample(flaps, {{"line_id", line_id}}, static_cast<double>(line->flaps));
    }
    const engine::LineTableCounters& counters = view.lines.counters();
    const std::pair<const char*, std::uint64_t> reasons[] = {
        {"stale", counters.ignored_stale},
        {"duplicate", counters.ignored_duplicate},
        {"invalid", counters.ignored_invalid},
        {"line_cap", counters.ignored_cap}};
    for (const auto& [reason, count] : reasons) {
      AddSample(ignored, {{"reason", reason}}, static_cast<double>(count));
    }
    if (view.mvno_lines_target > 0) {
      AddSample(target, {}, static_cast<double>(view.mvno_lines_target));
    }
  });
  std::vector<MetricFamily> families;
  for (MetricFamily* family :
       {&state, &since, &up, &atms, &available, &business_seconds, &business_hours, &lines,
        &line_up, &flaps, &bytes, &sessions, &stale, &ignored, &target}) {
    if (!family->metric.empty()) families.push_back(std::move(*family));
  }
  return families;
}

std::vector<MetricFamily> IngestSourceCollector::Collect() const {
  MetricFamily last = Family(
      "atmwatch_ingest_source_last_batch_timestamp_seconds",
      "When a batch of the source was last applied (daemon clock), Unix seconds; for the first "
      "ingest.max_sources sources since start-up.",
      MetricType::Gauge);
  MetricFamily count =
      Family("atmwatch_ingest_sources",
             "Sources known to the daemon (with or without their own series).", MetricType::Gauge);
  const Sources sources = read_();
  for (const auto& [source, unix_ms] : sources.last_batch_unix_ms) {
    AddSample(last, {{"source_id", source}}, static_cast<double>(unix_ms) / 1000.0);
  }
  AddSample(count, {}, static_cast<double>(sources.count));
  std::vector<MetricFamily> families;
  if (!last.metric.empty()) families.push_back(std::move(last));
  families.push_back(std::move(count));
  return families;
}

}  // namespace atmwatch::metrics
