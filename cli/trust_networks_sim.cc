#include "cli/trust_networks_sim.h"

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "cli/progress.h"
#include "cli/quarter_figures.h"
#include "cli/reference_data.h"
#include "cli/trust_networks.h"
#include "client/client_options.h"
#include "client/ingest_client.h"
#include "config/daemon_config.h"

namespace atmwatch::cli {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kBadInput = 2;
constexpr std::size_t kBatchEvents = 5000;
constexpr std::uint64_t kProgressEvery = 5000;

}  // namespace

int RunTrustNetworksSim(const SimOptions& options) {
  std::vector<QuarterFigures> quarters;
  const std::string csv = options.csv.empty() ? DefaultQuarterFiguresPath() : options.csv;
  if (Status status = LoadQuarterFigures(csv, &quarters); !status.ok()) {
    std::cerr << "sim: " << status.message() << " (--csv PATH)\n";
    return kBadInput;
  }
  config::DaemonConfig daemon_config;
  if (!options.config.empty()) {
    if (Status status = config::LoadConfigFile(options.config, &daemon_config); !status.ok()) {
      std::cerr << "sim: " << status.message() << "\n";
      return kBadInput;
    }
  }
  const TrustNetworksHistory history(quarters, daemon_config.calendar, daemon_config.fees,
                                     options.seed);
  if (options.print_inventory) {
    std::cout << history.InventoryYaml();
    return kOk;
  }

  std::vector<QuarterPlan> plans;
  std::uint64_t total = 0;
  for (std::size_t q = 0; q < quarters.size(); ++q) {
    plans.push_back(history.PlanQuarter(q));
    total += plans.back().transactions.size() + plans.back().ledger.size();
  }
  std::cerr << fmt::format("sim: trust-networks: {} quarters ({} to {}), {} events into {}\n",
                           quarters.size(), quarters.front().label, quarters.back().label, total,
                           options.ingest);

  client::IngestConfig ingest;
  ingest.address = options.ingest;
  ingest.source_id =
      options.source_id == SimOptions().source_id ? "sim-trust-networks" : options.source_id;
  if (Status read =
          client::IngestSecurityFromFlags(options.tls, options.token_file, &ingest.security);
      !read.ok()) {
    std::cerr << "sim: " << read.message() << "\n";
    return 1;
  }
  client::ClientOptions client_options = client::ClientOptionsFor(ingest);
  client_options.first_seq = 1;
  client_options.max_batch_events = kBatchEvents;
  client::IngestClient client(client_options);
  ProgressReporter progress(std::cerr, "events", total, isatty(STDERR_FILENO) == 1);

  std::uint64_t sent = 0;
  Status status;
  const auto send = [&](v1::Envelope event) {
    if (status.ok()) status = client.Add(std::move(event));
    if (++sent % kProgressEvery == 0) progress.Update(sent);
  };
  for (const QuarterPlan& plan : plans) {
    for (const PlannedTransaction& planned : plan.transactions) send(history.ToEnvelope(planned));
    for (const v1::Envelope& entry : plan.ledger) send(entry);
  }
  if (status.ok()) status = client.Flush();
  progress.Finish(sent);
  if (!status.ok()) {
    std::cerr << "sim: " << status.message() << "\n";
    return kFailed;
  }
  for (std::size_t q = 0; q < quarters.size(); ++q) {
    std::cerr << fmt::format(
        "sim: {}: {} ATMs at the end, {} transactions, commission {} yen + other revenue {} yen, "
        "cost {} yen, expenses {} yen\n",
        quarters[q].label, history.FleetAtEnd(q), plans[q].transactions.size(),
        plans[q].commission_yen, plans[q].other_revenue_yen, quarters[q].cost_yen,
        quarters[q].expenses_yen);
  }
  const auto& totals = client.totals();
  std::cerr << fmt::format("sim: {} accepted, {} duplicates, {} rejected\n", totals.accepted,
                           totals.duplicates, totals.rejected);
  return totals.rejected == 0 ? kOk : kFailed;
}

}  // namespace atmwatch::cli
