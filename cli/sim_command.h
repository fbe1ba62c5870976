#pragma once

#include <cstdint>
#include <string>

#include "client/ingest_client.h"

namespace atmwatch::cli {

struct SimOptions {
  std::string ingest = "127.0.0.1:7420";
  client::ClientTlsOptions tls;  // --tls, --tls-ca, --tls-cert, --tls-key
  std::string token_file;        // --token-file
  std::string scenario = "live";
  std::string source_id = "sim-live";
  int atms = 20;
  double rate = 50;       // live: transactions per second, fleet-wide
  double duration_s = 0;  // 0 = until interrupted
  std::uint64_t seed = 1;
  bool print_inventory = false;
  // trust-networks: the quarter table to reproduce (empty: the installed
  // reference table, DefaultQuarterFiguresPath), and the daemon's config
  // (its calendar and fees decide what each event earns).
  std::string csv;
  std::string config;
};

// `atmwatch sim --scenario live` (the default): a present-day fleet
// streaming transactions and heartbeats in real time until Ctrl-C (or
// --duration). With --print-inventory it prints the fleet as config YAML and
// exits, so the daemon can be started with the same inventory.
// `--scenario trust-networks` is RunTrustNetworksSim (cli/trust_networks_sim.h),
// `--scenario demo` RunDemoSim (cli/demo_sim.h).
int RunSim(const SimOptions& options);

}  // namespace atmwatch::cli
