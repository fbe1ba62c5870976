#include "metrics/atm_state_collector.h"

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
  std::int64_t business_seconds_today;
  bool business_open;
  engine::EngineView::Totals totals;
};

std::string_view StateName(std::size_t state) {
  return engine::AtmStateName(static_cast<engine::AtmServiceState>(state));
}

}  // namespace

void AtmStateCollector::WriteText(TextWriter& out) const {
  std::vector<AtmStateRow> atms;
  std::array<std::uint64_t, engine::kAtmStateCount> per_state{};

  const std::int64_t now = now_unix_ms();
  engine().Read([&](const engine::EngineView& view) {
    const std::int64_t day = view.calendar.LocalDayNumber(now);
    atms.reserve(view.fleet.size());
    for (engine::AtmIndex atm = 0; atm < view.fleet.size(); ++atm) {
      const engine::AtmAvailability& availability = view.atms[atm].availability;
      const engine::EngineView::AtmLine line = view.LineOfAtm(atm, now);
      const engine::BusinessHours& hours = view.hours.Of(atm);
      atms.push_back({TextWriter::RenderLabel("atm_id", view.fleet.id(atm)), availability.state,
                      availability.state_since_unix_ms, view.AtmUp(atm, now, line),
                      view.AvailableSecondsToday(atm, now, line),
                      hours.SecondsSoFar(view.calendar, day, now),
                      hours.Contains(view.calendar, now), view.TotalsAt(atm, now, line)});
      ++per_state[static_cast<std::size_t>(availability.state)];
    }
  });
  {
    // The open stretch since an ATM's last event counts as it stands now; a
    // later event within it may shorten it, so the exported figure never
    // goes below what was already exported (counters must not decrease).
    std::lock_guard lock(exported_mutex_);
    if (exported_.size() < atms.size()) exported_.resize(atms.size());
    for (std::size_t atm = 0; atm < atms.size(); ++atm) {
      engine::EngineView::Totals& totals = atms[atm].totals;
      Exported& last = exported_[atm];
      last[0] = std::max<std::uint64_t>(last[0], totals.business_seconds);
      totals.business_seconds = static_cast<std::int64_t>(last[0]);
      for (std::size_t a = 0; a < engine::kAvailabilityCount; ++a) {
        last[1 + a] = std::max<std::uint64_t>(last[1 + a], totals.available_seconds[a]);
        totals.available_seconds[a] = static_cast<std::int64_t>(last[1 + a]);
      }
    }
  }

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
  if (atms.empty()) return;
  out.Family("atmwatch_atm_business_seconds_today",
             "Seconds of today's business hours (local, the ATM's own or its site's) that have "
             "passed.",
             Type::kGauge);
  for (const AtmStateRow& row : atms) {
    out.Sample("atmwatch_atm_business_seconds_today", row.atm_label, {},
               static_cast<double>(row.business_seconds_today));
  }
  out.Family("atmwatch_atm_business_open",
             "1 while the local time is within the ATM's business hours, else 0.", Type::kGauge);
  for (const AtmStateRow& row : atms) {
    out.Sample("atmwatch_atm_business_open", row.atm_label, {}, row.business_open ? 1 : 0);
  }
  out.Family("atmwatch_atm_business_seconds_total",
             "Seconds of the ATM's business hours since its first event: the denominator of its "
             "availabilities.",
             Type::kCounter);
  for (const AtmStateRow& row : atms) {
    out.Sample("atmwatch_atm_business_seconds_total", row.atm_label, {},
               static_cast<double>(row.totals.business_seconds));
  }
  out.Family("atmwatch_atm_available_seconds_total",
             "Seconds of the ATM's business hours it was available: availability=hardware (the "
             "reported state serves; a closed site is no fault), comms (its line in a data "
             "session; no line: heard from "
             "within atm_silence), cardholder (both and heard from: atmwatch_atm_up).",
             Type::kCounter);
  std::array<std::string_view, engine::kAvailabilityCount> names{};
  for (std::size_t a = 0; a < engine::kAvailabilityCount; ++a) {
    names[a] = engine::AvailabilityName(static_cast<engine::Availability>(a));
  }
  for (const AtmStateRow& row : atms) {
    for (std::size_t a = 0; a < engine::kAvailabilityCount; ++a) {
      out.Sample("atmwatch_atm_available_seconds_total", row.atm_label,
                 {{"availability", names[a]}},
                 static_cast<double>(row.totals.available_seconds[a]));
    }
  }
}

}  // namespace atmwatch::metrics
