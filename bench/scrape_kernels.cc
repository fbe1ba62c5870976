// Google Benchmark kernels of a /metrics scrape of a large fleet: each
// collector's Collect (walking the engine under its read lock) and the text
// serialization, apart and together as RenderText serves them.
//
// The engine holds what bench/scrape-load.sh loads into a daemon: 15,000
// inventory ATMs with 400 days of daily records and 200,000 MVNO lines, of
// which 15,000 are bound to ATMs. Building it takes a few seconds, once.

#include <benchmark/benchmark.h>
#include <prometheus/text_serializer.h>

#include <chrono>
#include <memory>
#include <sstream>

#include "engine/engine.h"
#include "event_sets.h"
#include "metrics/atm_collector.h"
#include "metrics/authorization_collector.h"
#include "metrics/business_collector.h"
#include "metrics/connectivity_collector.h"
#include "metrics/exposition.h"
#include "metrics/text_format.h"

namespace {

using atmwatch::bench::FleetHistory;
using prometheus::Collectable;

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
  atmwatch::metrics::ConnectivityCollector connectivity;

  ScrapedFleet(std::int64_t now, atmwatch::engine::EngineConfig config)
      : now_unix_ms(now),
        engine(std::move(config)),
        atms(engine, [now] { return now; }),
        authorization(engine),
        business(engine, [now] { return now; }),
        connectivity(engine, [now] { return now; }) {}

  std::vector<const Collectable*> collectables() const {
    return {&atms, &authorization, &business, &connectivity};
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
    auto built = std::make_unique<ScrapedFleet>(now, std::move(config));
    FleetHistory history{.atms = kAtms, .lines = kLines, .now_unix_ms = now};
    atmwatch::bench::GenerateHistory(
        history, [&](const atmwatch::v1::Envelope& event) { built->engine.Apply(event); });
    return built;
  }();
  return *fleet;
}

void CountSeries(benchmark::State& state, const std::vector<prometheus::MetricFamily>& families) {
  std::size_t series = 0;
  for (const auto& family : families) series += family.metric.size();
  state.counters["series"] = static_cast<double>(series);
}

void BM_Collect(benchmark::State& state, const Collectable& (*pick)(const ScrapedFleet&)) {
  const Collectable& collectable = pick(Fleet());
  std::vector<prometheus::MetricFamily> families;
  for (auto _ : state) {
    families = collectable.Collect();
    benchmark::DoNotOptimize(families.data());
  }
  CountSeries(state, families);
}
BENCHMARK_CAPTURE(BM_Collect, atm, [](const ScrapedFleet& f) -> const Collectable& {
  return f.atms;
})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Collect, authorization, [](const ScrapedFleet& f) -> const Collectable& {
  return f.authorization;
})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Collect, business, [](const ScrapedFleet& f) -> const Collectable& {
  return f.business;
})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Collect, connectivity, [](const ScrapedFleet& f) -> const Collectable& {
  return f.connectivity;
})->Unit(benchmark::kMillisecond);

std::vector<prometheus::MetricFamily> CollectAll() {
  std::vector<prometheus::MetricFamily> families;
  for (const auto* collectable : Fleet().collectables()) {
    auto collected = collectable->Collect();
    families.insert(families.end(), collected.begin(), collected.end());
  }
  return families;
}

// The text format alone, of families collected once: as the daemon writes
// it (metrics/text_format.h), and through prometheus-cpp's TextSerializer
// for comparison.
void BM_SerializeText(benchmark::State& state) {
  const auto families = CollectAll();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string out;
    atmwatch::metrics::AppendTextFormat(families, &out);
    bytes = out.size();
  }
  CountSeries(state, families);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_SerializeText)->Unit(benchmark::kMillisecond);

void BM_SerializeTextPrometheusCpp(benchmark::State& state) {
  const auto families = CollectAll();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, families);
    bytes = out.str().size();
  }
  CountSeries(state, families);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_SerializeTextPrometheusCpp)->Unit(benchmark::kMillisecond);

// What the daemon does for one scrape of the engine's families.
void BM_RenderText(benchmark::State& state) {
  const auto collectables = Fleet().collectables();
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string body = atmwatch::metrics::RenderText(collectables);
    bytes = body.size();
  }
  state.counters["body_bytes"] = static_cast<double>(bytes);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_RenderText)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
