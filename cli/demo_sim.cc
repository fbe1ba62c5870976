#include "cli/demo_sim.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "cli/demo_fleet.h"
#include "cli/progress.h"
#include "client/client_options.h"
#include "client/ingest_client.h"
#include "common/wall_clock.h"

namespace atmwatch::cli {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kBadOptions = 2;
constexpr std::size_t kBatchEvents = 5000;
constexpr std::int64_t kHistoryStepMs = 60 * 1000;
constexpr auto kTick = std::chrono::milliseconds(200);

std::atomic<bool> g_interrupted{false};

Status Send(client::IngestClient& client, std::vector<v1::Envelope>& events) {
  for (v1::Envelope& event : events) {
    if (Status status = client.Add(std::move(event)); !status.ok()) return status;
  }
  events.clear();
  return Status::Ok();
}

}  // namespace

int RunDemoSim(const SimOptions& options) {
  if (options.atms < DemoFleet::kMinAtms) {
    std::cerr << fmt::format("sim: the demo needs --atms {} or more\n", DemoFleet::kMinAtms);
    return kBadOptions;
  }
  const std::int64_t start = NowUnixMs();
  DemoFleet fleet(options.atms, options.seed, start);
  if (options.print_inventory) {
    std::cout << fleet.ConfigYaml();
    return kOk;
  }

  std::signal(SIGINT, [](int) { g_interrupted = true; });
  std::signal(SIGTERM, [](int) { g_interrupted = true; });

  client::IngestConfig ingest;
  ingest.address = options.ingest;
  ingest.source_id = options.source_id == SimOptions().source_id ? "sim-demo" : options.source_id;
  if (Status read =
          client::IngestSecurityFromFlags(options.tls, options.token_file, &ingest.security);
      !read.ok()) {
    std::cerr << "sim: " << read.message() << "\n";
    return kFailed;
  }
  client::ClientOptions client_options = client::ClientOptionsFor(ingest);
  client_options.max_batch_events = kBatchEvents;
  client::IngestClient client(client_options);

  std::cerr << fmt::format("sim: demo: {} ATMs into {}; misbehaving on purpose:\n", options.atms,
                           options.ingest);
  for (const std::string& incident : fleet.Incidents()) std::cerr << "sim:   " << incident << "\n";

  // The history, as fast as the daemon takes it.
  const std::int64_t history_start = fleet.history_start_unix_ms();
  const auto steps = static_cast<std::uint64_t>((start - history_start) / kHistoryStepMs);
  ProgressReporter progress(std::cerr, "minutes of history", steps, isatty(STDERR_FILENO) == 1);
  std::vector<v1::Envelope> events;
  std::uint64_t step = 0;
  Status status;
  for (std::int64_t t = history_start; t < start && status.ok() && !g_interrupted;
       t += kHistoryStepMs) {
    fleet.AppendEvents(t, std::min(t + kHistoryStepMs, start), &events);
    status = Send(client, events);
    if (++step % 1440 == 0) progress.Update(step);
  }
  if (status.ok()) status = client.Flush();
  progress.Finish(step);
  if (!status.ok()) {
    std::cerr << "sim: " << status.message() << "\n";
    return kFailed;
  }
  std::cerr << fmt::format(
      "sim: {} days of history sent ({} events accepted, {} rejected); live now, Ctrl-C stops\n",
      DemoFleet::kHistoryDays, client.totals().accepted, client.totals().rejected);

  // Live: each tick sends what happened since the last one.
  using Clock = std::chrono::steady_clock;
  const auto live_start = Clock::now();
  auto next_tick = live_start;
  auto next_report = live_start + std::chrono::seconds(60);
  std::int64_t sent_until = start;
  while (!g_interrupted) {
    if (options.duration_s > 0 &&
        Clock::now() - live_start >= std::chrono::duration<double>(options.duration_s)) {
      break;
    }
    const std::int64_t now = NowUnixMs();
    fleet.AppendEvents(sent_until, now, &events);
    sent_until = std::max(sent_until, now);
    status = Send(client, events);
    if (status.ok()) status = client.Flush();
    if (!status.ok()) {
      std::cerr << "sim: " << status.message() << "\n";
      return kFailed;
    }
    if (Clock::now() >= next_report) {
      const auto& totals = client.totals();
      std::cerr << fmt::format("sim: {} events accepted, {} rejected, {} reconnects\n",
                               totals.accepted, totals.rejected, totals.reconnects);
      next_report += std::chrono::seconds(60);
    }
    next_tick += kTick;
    std::this_thread::sleep_until(next_tick);
  }
  const auto& totals = client.totals();
  std::cerr << fmt::format("sim: stopped; {} events accepted, {} rejected\n", totals.accepted,
                           totals.rejected);
  return totals.rejected == 0 ? kOk : kFailed;
}

}  // namespace atmwatch::cli
