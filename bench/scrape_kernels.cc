// Google Benchmark kernels of a /metrics scrape of a large fleet: each
// collector's WriteText (copying its figures out of the engine under the
// read lock, then writing them), apart and together as /metrics serves them.
//
// The engine holds what bench/scrape-load.sh loads into a daemon: 15,000
// inventory ATMs with 400 days of daily records and 200,000 MVNO lines, of
// which 15,000 are bound to ATMs. Building it takes a few seconds, once.
// Its costs are such that no month breaks even and a plan names the fiscal
// year with a breakeven window and a lines target: the plan's source then
// walks every month of the history and projects three years ahead, its
// slowest path. Every ATM was replenished an hour ago with 1 to 5 million
// yen, so the cash sources render every ATM and the forecast walks up to
// its two weeks.

#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>

#include "engine/engine.h"
#include "event_sets.h"
#include "metrics/atm_collector.h"
#include "metrics/atm_state_collector.h"
#include "metrics/authorization_collector.h"
#include "metrics/business_collector.h"
#include "metrics/cash_collector.h"
#include "metrics/cash_forecast_collector.h"
#include "metrics/exposition.h"
#include "metrics/mvno_line_collector.h"
#include "metrics/plan_collector.h"
#include "metrics/text_writer.h"

namespace {

using atmwatch::bench::FleetHistory;
using atmwatch::metrics::ScrapeSource;

constexpr int kAtms = 15000;
constexpr int kLines = 200000;

// The engine and its collectors, with the clock stopped at the history's now
// so every scrape renders the same local day.
struct ScrapedFleet {
  std::int64_t now_unix_ms;
  atmwatch::engine::Engine engine;
  atmwatch::metrics::AtmCollector atms;
  atmwatch::metrics::AuthorizationCollector authorization;
  atmwatch::metrics::BusinessCollector business;
  atmwatch::metrics::AtmStateCollector atm_states;
  atmwatch::metrics::MvnoLineCollector mvno_lines;
  atmwatch::metrics::PlanCollector plan;
  atmwatch::metrics::CashCollector cash;
  atmwatch::metrics::CashForecastCollector cash_forecast;

  ScrapedFleet(std::int64_t now, atmwatch::engine::EngineConfig config)
      : now_unix_ms(now),
        engine(std::move(config)),
        atms(engine, [now] { return now; }),
        authorization(engine),
        business(engine, [now] { return now; }),
        atm_states(engine, [now] { return now; }),
        mvno_lines(engine, [now] { return now; }),
        plan(engine, [now] { return now; }),
        cash(engine),
        cash_forecast(engine, [now] { return now; }) {}

  std::vector<const ScrapeSource*> sources() const {
    return {&atms,       &authorization, &business, &atm_states,
            &mvno_lines, &plan,          &cash,     &cash_forecast};
  }
};

const ScrapedFleet& Fleet() {
  static const std::unique_ptr<ScrapedFleet> fleet = [] {
    const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    atmwatch::engine::EngineConfig config;
    for (int atm = 1; atm <= kAtms; ++atm) {
      config.inventory.push_back({.id = atmwatch::bench::AtmId(atm),
                                  .site = "Parlor",
                                  .region = atm % 2 ? "kanto" : "kansai",
                                  .installed = "2020-04-01",
                                  .line_id = atmwatch::bench::LineId(atm),
                                  .carrier = atmwatch::bench::CarrierOf(atm)});
    }
    config.costs = {.per_atm_monthly_yen = 10'000'000, .fixed_monthly_yen = 100'000'000};
    const atmwatch::engine::Calendar calendar;
    const std::chrono::year_month_day today = calendar.LocalDate(now);
    const int fiscal_year = calendar.FiscalYearOf(today);
    atmwatch::engine::FiscalYearPlan year{.fiscal_year = fiscal_year};
    year.budget.operating_income_yen = -1'000'000'000;
    config.plan.fiscal_years.push_back(year);
    config.plan.breakeven = atmwatch::engine::DateWindow{calendar.QuarterStart({fiscal_year, 3}),
                                                         calendar.QuarterEnd({fiscal_year, 4})};
    config.plan.mvno_lines =
        atmwatch::engine::MvnoLinesTarget{.lines = 1'000'000, .deadline = today};
    config.cash_visits.fallback = atmwatch::engine::VisitSchedule{.weekdays = 0b0010010};
    auto built = std::make_unique<ScrapedFleet>(now, std::move(config));
    FleetHistory history{.atms = kAtms, .lines = kLines, .now_unix_ms = now};
    atmwatch::bench::GenerateHistory(
        history, [&](const atmwatch::v1::Envelope& event) { built->engine.Apply(event); });
    for (int atm = 1; atm <= kAtms; ++atm) {
      atmwatch::v1::Envelope visit;
      visit.set_time_unix_ms(now - 3'600'000);
      auto* cash = visit.mutable_cash();
      cash->set_atm_id(atmwatch::bench::AtmId(atm));
      cash->set_kind(atmwatch::v1::CashEvent::REPLENISHMENT);
      auto* cassette = cash->add_cassettes();
      cassette->set_denomination_yen(10000);
      cassette->set_notes(100 + atm % 400);
      built->engine.Apply(visit);
    }
    return built;
  }();
  return *fleet;
}

// Samples in a text exposition: its lines that are not HELP or TYPE.
void CountSeries(benchmark::State& state, const std::string& text) {
  std::size_t series = 0;
  for (std::size_t at = 0; at < text.size(); at = text.find('\n', at) + 1) {
    if (text[at] != '#') ++series;
  }
  state.counters["series"] = static_cast<double>(series);
  state.counters["body_bytes"] = static_cast<double>(text.size());
}

void BM_WriteText(benchmark::State& state, const ScrapeSource& (*pick)(const ScrapedFleet&)) {
  const ScrapeSource& source = pick(Fleet());
  std::string text;
  for (auto _ : state) {
    text.clear();
    atmwatch::metrics::TextWriter writer(&text);
    source.WriteText(writer);
    benchmark::DoNotOptimize(text.data());
  }
  CountSeries(state, text);
}
BENCHMARK_CAPTURE(BM_WriteText, atm, [](const ScrapedFleet& f) -> const ScrapeSource& {
  return f.atms;
})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_WriteText, authorization, [](const ScrapedFleet& f) -> const ScrapeSource& {
  return f.authorization;
})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_WriteText, business, [](const ScrapedFleet& f) -> const ScrapeSource& {
  return f.business;
})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_WriteText, atm_state, [](const ScrapedFleet& f) -> const ScrapeSource& {
  return f.atm_states;
})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_WriteText, mvno_line, [](const ScrapedFleet& f) -> const ScrapeSource& {
  return f.mvno_lines;
})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_WriteText, cash, [](const ScrapedFleet& f) -> const ScrapeSource& {
  return f.cash;
})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_WriteText, cash_forecast, [](const ScrapedFleet& f) -> const ScrapeSource& {
  return f.cash_forecast;
})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_WriteText, plan, [](const ScrapedFleet& f) -> const ScrapeSource& {
  return f.plan;
})->Unit(benchmark::kMillisecond);

// The ATM collector's first scrape of a local day, which works out every
// ATM's baseline and last week's average; the scrapes after it that day
// reuse them, as BM_WriteText/atm does.
void BM_AtmFirstScrapeOfTheDay(benchmark::State& state) {
  const ScrapedFleet& fleet = Fleet();
  const std::int64_t now = fleet.now_unix_ms;
  std::string text;
  for (auto _ : state) {
    state.PauseTiming();
    auto atms =
        std::make_unique<atmwatch::metrics::AtmCollector>(fleet.engine, [now] { return now; });
    text.clear();
    state.ResumeTiming();
    atmwatch::metrics::TextWriter writer(&text);
    atms->WriteText(writer);
    benchmark::DoNotOptimize(text.data());
    state.PauseTiming();
    atms.reset();
    state.ResumeTiming();
  }
  CountSeries(state, text);
}
BENCHMARK(BM_AtmFirstScrapeOfTheDay)->Unit(benchmark::kMillisecond);

// All of them into one string, one after the other.
void BM_Exposition(benchmark::State& state) {
  const auto sources = Fleet().sources();
  std::string body;
  for (auto _ : state) {
    const std::size_t last_size = body.size();
    body = std::string();
    body.reserve(last_size);
    atmwatch::metrics::AppendExposition({}, sources, &body);
  }
  CountSeries(state, body);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_Exposition)->Unit(benchmark::kMillisecond);

// What the daemon does for one scrape: the text handed over in 1 MiB pieces
// as it is written, the sources after the first written on a second thread
// meanwhile. Real time, as the work is on two threads.
void BM_StreamExposition(benchmark::State& state) {
  const auto sources = Fleet().sources();
  std::size_t bytes = 0;
  for (auto _ : state) {
    atmwatch::metrics::StreamExposition(
        {}, sources, 1 << 20, [&bytes](std::string_view piece) { bytes += piece.size(); });
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_StreamExposition)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
