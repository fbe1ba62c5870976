#include "metrics/cash_forecast_collector.h"

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "engine/engine.h"
#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

using Type = TextWriter::Type;

struct ForecastRow {
  // atm_id="…", in `ForecastRows::labels`: one buffer for the fleet's
  // labels, rather than a string each to allocate and free per scrape.
  std::size_t label_begin = 0;
  std::size_t label_size = 0;
  int64_t remaining_yen = 0;
  const engine::CashDemand* demand = nullptr;  // into the kept profiles
  std::optional<int64_t> next_visit_unix_ms;
};

// Whole seconds and whole yen: finer is noise for a forecast, and integers
// are written several times faster (33k samples for 15k ATMs).
double Seconds(int64_t unix_ms) { return std::round(static_cast<double>(unix_ms) / 1000.0); }

}  // namespace

void CashForecastCollector::WriteText(TextWriter& out) const {
  const int64_t now = now_unix_ms();
  std::vector<ForecastRow> rows;
  std::string labels;
  engine::DaysAhead days;
  std::lock_guard kept_lock(kept_mutex_);
  engine().Read([&](const engine::EngineView& view) {
    const int64_t today = view.calendar.LocalDayNumber(now);
    days = engine::DaysAhead::From(view.calendar, now);
    engine::ProfileReferenceDays reference_days =
        engine::ReferenceDaysByProfile(view.usage, view.calendar, today);
    // A new day, or new holidays: nothing kept holds.
    if (today != kept_day_ || reference_days != kept_reference_days_) {
      kept_.clear();
      kept_day_ = today;
      kept_reference_days_ = std::move(reference_days);
    }
    kept_.resize(view.fleet.size());
    rows.reserve(view.fleet.size());
    labels.reserve(view.fleet.size() * 24);
    // A handful of schedules for the whole fleet: each one's next visit once.
    std::vector<std::pair<const engine::VisitSchedule*, std::optional<int64_t>>> next_visits;
    const auto next_visit_of = [&](const engine::VisitSchedule& schedule) {
      for (const auto& [known, next] : next_visits) {
        if (known == &schedule) return next;
      }
      return next_visits.emplace_back(&schedule, schedule.NextAfter(view.calendar, now)).second;
    };
    for (engine::AtmIndex atm = 0; atm < view.fleet.size(); ++atm) {
      const engine::CashPosition& cash = view.cash[atm];
      if (!cash.known()) continue;
      if (!kept_[atm]) kept_[atm] = std::make_unique<KeptDemand>();
      KeptDemand& kept = *kept_[atm];
      const engine::PastDaysStamp stamp = view.usage.PastDaysStampOf(atm);
      if (!kept.learned || kept.stamp != stamp || stamp.latest_day < today) {
        kept = {.stamp = stamp,
                .learned = true,
                .demand = engine::LearnCashDemand(view.usage, kept_reference_days_, atm)};
      }
      const std::size_t label_begin = labels.size();
      labels += TextWriter::RenderLabel("atm_id", view.fleet.id(atm));
      ForecastRow row{.label_begin = label_begin,
                      .label_size = labels.size() - label_begin,
                      .remaining_yen = cash.RemainingYen(),
                      .demand = &kept.demand,
                      .next_visit_unix_ms = std::nullopt};
      const engine::InventoryEntry* inventory = view.fleet.inventory(atm);
      if (const engine::VisitSchedule* schedule =
              view.cash_visits.For(inventory != nullptr ? inventory->region : "")) {
        row.next_visit_unix_ms = next_visit_of(*schedule);
      }
      rows.push_back(std::move(row));
    }
  });
  if (rows.empty()) return;
  const auto label_of = [&](const ForecastRow& row) {
    return std::string_view(labels).substr(row.label_begin, row.label_size);
  };

  out.Family("atmwatch_atm_cash_out_forecast_timestamp_seconds",
             "When the ATM's cash is expected to run out, Unix seconds: its position walked "
             "forward through its weekday x hour withdrawal profile. Absent beyond 14 days.",
             Type::kGauge);
  for (const ForecastRow& row : rows) {
    if (const auto dry = engine::RunDryTime(*row.demand, days, row.remaining_yen)) {
      out.Sample("atmwatch_atm_cash_out_forecast_timestamp_seconds", label_of(row), {},
                 Seconds(*dry));
    }
  }
  out.Family("atmwatch_atm_cash_next_visit_timestamp_seconds",
             "The next planned cash visit of the ATM's region (config cash:), Unix seconds.",
             Type::kGauge);
  for (const ForecastRow& row : rows) {
    if (row.next_visit_unix_ms) {
      out.Sample("atmwatch_atm_cash_next_visit_timestamp_seconds", label_of(row), {},
                 Seconds(*row.next_visit_unix_ms));
    }
  }
  out.Family("atmwatch_atm_cash_needed_until_visit_yen",
             "Withdrawals the ATM is expected to dispense from now until its next planned visit, "
             "yen (up to 14 days).",
             Type::kGauge);
  for (const ForecastRow& row : rows) {
    if (row.next_visit_unix_ms && row.demand->known) {
      out.Sample("atmwatch_atm_cash_needed_until_visit_yen", label_of(row), {},
                 std::round(engine::DemandUntil(*row.demand, days, *row.next_visit_unix_ms)));
    }
  }
}

}  // namespace atmwatch::metrics
