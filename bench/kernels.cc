// Google Benchmark kernels of the ingest path, one stage at a time:
// frame decode, batch parse, validation, WAL append, engine apply.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <stdlib.h>

#include <filesystem>
#include <random>
#include <vector>

#include "atmwatch/v1/ingest.pb.h"
#include "engine/engine.h"
#include "ingest/event_validator.h"
#include "ingest/frame_decoder.h"
#include "wal/batch_log.h"

namespace {

constexpr std::int64_t kNow = 1700000000000;

// Transactions at ATMs in turn (atms cached after the first pass) or, with
// shuffled, at ATMs drawn at random as a real fleet's arrive: every event
// then touches the aggregates of an ATM no longer in cache.
atmwatch::v1::Batch MakeBatch(int events, int atms, bool shuffled = false) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> pick(0, atms - 1);
  atmwatch::v1::Batch batch;
  batch.set_source_id("bench");
  batch.set_seq(1);
  for (int i = 0; i < events; ++i) {
    auto* e = batch.add_events();
    e->set_time_unix_ms(kNow);
    auto* tx = e->mutable_transaction();
    tx->set_atm_id(fmt::format("ATM{:05d}", shuffled ? pick(rng) : i % atms));
    tx->set_type(atmwatch::v1::AtmTransaction::WITHDRAWAL);
    tx->set_result(atmwatch::v1::AtmTransaction::APPROVED);
    tx->set_amount_yen(10000);
  }
  return batch;
}

std::string Delimited(const atmwatch::v1::Batch& batch) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::util::SerializeDelimitedToZeroCopyStream(batch, &stream);
  return out;
}

void BM_FrameDecodeAndParse(benchmark::State& state) {
  const auto batch = MakeBatch(static_cast<int>(state.range(0)), 10000);
  std::string stream;
  for (int i = 0; i < 16; ++i) stream += Delimited(batch);
  atmwatch::ingest::FrameDecoder decoder(4 << 20);
  atmwatch::v1::Batch parsed;
  for (auto _ : state) {
    decoder.Feed(std::as_bytes(std::span(stream.data(), stream.size())));
    std::string_view frame;
    while (decoder.Next(&frame) == atmwatch::ingest::FrameDecoder::Result::kFrame) {
      parsed.ParseFromArray(frame.data(), static_cast<int>(frame.size()));
      benchmark::DoNotOptimize(parsed.events_size());
    }
  }
  state.SetItemsProcessed(state.iterations() * 16 * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(stream.size()));
}
BENCHMARK(BM_FrameDecodeAndParse)->Arg(10)->Arg(1000);

void BM_ValidateEvent(benchmark::State& state) {
  const auto batch = MakeBatch(1000, 10000);
  const atmwatch::ingest::ValidationLimits limits;
  for (auto _ : state) {
    for (const auto& event : batch.events()) {
      benchmark::DoNotOptimize(atmwatch::ingest::ValidateEvent(event, limits, kNow));
    }
  }
  state.SetItemsProcessed(state.iterations() * batch.events_size());
}
BENCHMARK(BM_ValidateEvent);

void BM_EngineApply(benchmark::State& state) {
  const auto batch = MakeBatch(1000, static_cast<int>(state.range(0)));
  atmwatch::engine::Engine engine({}, 1000000);
  for (auto _ : state) {
    for (const auto& event : batch.events()) benchmark::DoNotOptimize(engine.Apply(event));
  }
  state.SetItemsProcessed(state.iterations() * batch.events_size());
}
BENCHMARK(BM_EngineApply)->Arg(100)->Arg(10000);

// 64 batches of random ATMs from a fleet of `atms`, each applied as the
// pipeline applies a durable batch; with `replenished`, every ATM has a cash
// position first, so each withdrawal also dispenses notes.
void ApplyShuffled(benchmark::State& state, int atms, bool replenished) {
  std::vector<atmwatch::v1::Batch> batches;
  for (int b = 0; b < 64; ++b) batches.push_back(MakeBatch(1000, atms, true));
  std::vector<std::vector<const atmwatch::v1::Envelope*>> events(batches.size());
  for (std::size_t b = 0; b < batches.size(); ++b) {
    for (const auto& event : batches[b].events()) events[b].push_back(&event);
  }
  std::vector<std::optional<std::string_view>> refusals(1000);
  atmwatch::engine::Engine engine({}, 1000000);
  if (replenished) {
    // 16 cassettes of 10,000 notes of 10,000 yen: enough for every iteration.
    for (int atm = 0; atm < atms; ++atm) {
      atmwatch::v1::Envelope visit;
      visit.set_time_unix_ms(kNow - 1);
      auto* cash = visit.mutable_cash();
      cash->set_atm_id(fmt::format("ATM{:05d}", atm));
      cash->set_kind(atmwatch::v1::CashEvent::REPLENISHMENT);
      for (int c = 0; c < 16; ++c) {
        auto* cassette = cash->add_cassettes();
        cassette->set_denomination_yen(10000);
        cassette->set_notes(10000);
      }
      engine.Apply(visit);
    }
  }
  for (auto _ : state) {
    for (const auto& batch : events) engine.ApplyAll(batch, refusals);
  }
  state.SetItemsProcessed(state.iterations() * 64 * 1000);
}

void BM_EngineApplyShuffled(benchmark::State& state) {
  ApplyShuffled(state, static_cast<int>(state.range(0)), false);
}
BENCHMARK(BM_EngineApplyShuffled)->Arg(10000)->Arg(15000);

void BM_EngineApplyShuffledReplenished(benchmark::State& state) {
  ApplyShuffled(state, static_cast<int>(state.range(0)), true);
}
BENCHMARK(BM_EngineApplyShuffledReplenished)->Arg(15000);

// Appends a 1000-event batch record to a real segment in /tmp; commits with
// fsync every state.range(0) records (0 = never), as group commit would.
void BM_BatchLogAppend(benchmark::State& state) {
  std::string dir = "/tmp/atmwatch-bench-wal-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) {
    state.SkipWithError("mkdtemp failed");
    return;
  }
  const std::string record = MakeBatch(1000, 10000).SerializeAsString();
  {
    std::unique_ptr<atmwatch::wal::BatchLog> log;
    atmwatch::wal::ReplayReport report;
    atmwatch::wal::BatchLog::Open(dir, {}, &log);
    log->Replay(
        0, false, [](std::uint64_t, std::string_view) {}, &report);
    std::int64_t appended = 0;
    for (auto _ : state) {
      log->Append(record);
      if (state.range(0) > 0 && ++appended % state.range(0) == 0) log->Commit(/*sync=*/true);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(record.size()));
    state.SetItemsProcessed(state.iterations() * 1000);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_BatchLogAppend)->Arg(0)->Arg(1)->Arg(16);

}  // namespace

BENCHMARK_MAIN();
