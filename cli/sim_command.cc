#include "cli/sim_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <random>
#include <thread>

#include "cli/demo_sim.h"
#include "cli/live_fleet.h"
#include "cli/trust_networks_sim.h"
#include "client/client_options.h"
#include "client/ingest_client.h"
#include "common/wall_clock.h"

namespace atmwatch::cli {
namespace {

std::atomic<bool> g_interrupted{false};

// Japan-local weekday (0 = Sunday) and hour of a UTC time, for the usage shape.
std::pair<int, int> JapanWeekdayHour(std::int64_t unix_ms) {
  const std::int64_t local_s = unix_ms / 1000 + 9 * 3600;
  const std::int64_t days = local_s / 86400;
  return {static_cast<int>((days + 4) % 7), static_cast<int>(local_s % 86400 / 3600)};
}

}  // namespace

int RunSim(const SimOptions& options) {
  if (options.scenario == "trust-networks") return RunTrustNetworksSim(options);
  if (options.scenario == "demo") return RunDemoSim(options);
  LiveFleet fleet(options.atms, options.seed);
  if (options.print_inventory) {
    std::cout << fleet.InventoryYaml();
    return 0;
  }

  std::signal(SIGINT, [](int) { g_interrupted = true; });
  std::signal(SIGTERM, [](int) { g_interrupted = true; });

  client::IngestConfig ingest;
  ingest.address = options.ingest;
  ingest.source_id = options.source_id;
  if (Status read =
          client::IngestSecurityFromFlags(options.tls, options.token_file, &ingest.security);
      !read.ok()) {
    std::cerr << "sim: " << read.message() << "\n";
    return 1;
  }
  client::IngestClient client(client::ClientOptionsFor(ingest));

  using Clock = std::chrono::steady_clock;
  constexpr auto kTick = std::chrono::milliseconds(200);
  constexpr std::int64_t kHeartbeatMs = 60000;
  std::mt19937_64 rng(options.seed);
  const auto start = Clock::now();
  auto next_tick = start;
  auto next_report = start + std::chrono::seconds(10);
  std::int64_t next_heartbeat_ms = 0;
  std::cerr << fmt::format("sim: {} ATMs, about {} transactions/s into {}; Ctrl-C stops\n",
                           options.atms, options.rate, options.ingest);

  while (!g_interrupted) {
    if (options.duration_s > 0 &&
        Clock::now() - start >= std::chrono::duration<double>(options.duration_s)) {
      break;
    }
    const std::int64_t now = NowUnixMs();
    const auto [weekday, hour] = JapanWeekdayHour(now);
    // The configured rate is the fleet's average; the hour of the week shapes it.
    std::poisson_distribution<int> arrivals(options.rate * LiveFleet::HourShape(weekday, hour) *
                                            std::chrono::duration<double>(kTick).count());
    Status status;
    for (int i = arrivals(rng); i > 0 && status.ok(); --i) {
      status = client.Add(fleet.NextTransaction(now));
    }
    if (status.ok() && now >= next_heartbeat_ms) {
      for (std::size_t atm = 0; atm < fleet.atms().size() && status.ok(); ++atm) {
        status = client.Add(fleet.Heartbeat(fleet.atms()[atm], now));
        if (status.ok()) status = client.Add(fleet.LineSession(atm, now));
      }
      next_heartbeat_ms = now + kHeartbeatMs;
    }
    if (status.ok()) status = client.Flush();
    if (!status.ok()) {
      std::cerr << "sim: " << status.message() << "\n";
      return 1;
    }
    if (Clock::now() >= next_report) {
      const auto& totals = client.totals();
      std::cerr << fmt::format("sim: {} events accepted, {} rejected, {} reconnects\n",
                               totals.accepted, totals.rejected, totals.reconnects);
      next_report += std::chrono::seconds(10);
    }
    next_tick += kTick;
    std::this_thread::sleep_until(next_tick);
  }
  const auto& totals = client.totals();
  std::cerr << fmt::format("sim: stopped; {} events accepted, {} rejected\n", totals.accepted,
                           totals.rejected);
  return 0;
}

}  // namespace atmwatch::cli
