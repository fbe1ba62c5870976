// atmwatch: the command line of atmwatch — send events, simulate a fleet,
// print the quarter report, inspect a data directory.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "cli/nearest_name.h"
#include "cli/reference_data.h"
#include "cli/report_command.h"
#ifdef ATMWATCH_WITH_JETSTREAM
#include "cli/add_stream_command.h"
#include "cli/nats_publish.h"
#endif
#include "cli/send_command.h"
#include "cli/sim_command.h"
#include "cli/wal_command.h"
#include "common/protobuf_log.h"

namespace {

// CLI11 says "A subcommand is required" for a mistyped one; name it and the
// subcommand it most likely meant instead. 0 when argv[1] is fine.
int RefuseUnknownSubcommand(CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return 0;
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    names.push_back(command->get_name());
  }
  const std::string typed = argv[1];
  if (std::find(names.begin(), names.end(), typed) != names.end()) return 0;
  std::cerr << "atmwatch: '" << typed << "' is not a subcommand";
  if (const auto nearest = atmwatch::cli::NearestName(typed, names)) {
    std::cerr << "; did you mean '" << *nearest << "'?";
  }
  std::cerr << "\nRun with --help for the list of subcommands.\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"atmwatch: send events to atmwatchd, simulate a fleet"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(ATMWATCH_VERSION));
  // Log lines (the ingest client's reconnects, protobuf's messages) go to
  // stderr: stdout carries the commands' output.
  spdlog::set_default_logger(spdlog::stderr_color_mt("atmwatch"));
  atmwatch::RouteProtobufLogToSpdlog();

  // --tls and friends of the commands that stream to the ingest port.
  const auto add_ingest_security = [](CLI::App* command, atmwatch::client::ClientTlsOptions* tls,
                                      std::string* token_file) {
    command->add_flag("--tls", tls->enabled, "connect to the ingest port with TLS");
    const auto implies_tls = [tls](const std::string&) { tls->enabled = true; };
    command
        ->add_option("--tls-ca", tls->ca_file,
                     "CA file the daemon's certificate must chain to (implies --tls; default: "
                     "the system's)")
        ->each(implies_tls);
    command
        ->add_option("--tls-cert", tls->cert_file,
                     "client certificate (PEM) for a daemon that requires one (implies --tls)")
        ->each(implies_tls);
    command->add_option("--tls-key", tls->key_file, "the client certificate's key (PEM)");
    command->add_option("--token-file", *token_file,
                        "file holding the source's token (ingest.sources[].token_sha256)");
  };
  atmwatch::cli::SendOptions send;
  auto* send_cmd = app.add_subcommand("send", "stream canonical-JSON Envelopes (one per line)");
  send_cmd->add_option("--ingest", send.ingest, "daemon ingest address HOST:PORT")
      ->capture_default_str();
  send_cmd->add_option("--source-id", send.source_id, "source id (default send-<host>-<pid>)");
  add_ingest_security(send_cmd, &send.tls, &send.token_file);
  send_cmd->add_option("--batch", send.batch_events, "events per batch")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  send_cmd->add_option("input", send.input, "file to read, - for stdin")->capture_default_str();
#ifdef ATMWATCH_WITH_JETSTREAM
  atmwatch::cli::NatsSendOptions nats_send;
  auto* nats_opt = send_cmd->add_option(
      "--nats", nats_send.servers,
      "publish to NATS JetStream instead of --ingest: a server URL, or the servers of a "
      "cluster separated by commas");
  send_cmd->add_option("--subject", nats_send.subject, "with --nats: the subject to publish on")
      ->needs(nats_opt);
  send_cmd
      ->add_option("--first-seq", nats_send.first_seq,
                   "with --nats: seq of the first batch (continue after the source's last)")
      ->needs(nats_opt)
      ->capture_default_str();
  send_cmd
      ->add_option_function<int>(
          "--publish-timeout",
          [&](int seconds) { nats_send.publish_timeout = std::chrono::seconds(seconds); },
          "with --nats: seconds a batch may go without a publish ack, resent meanwhile under "
          "its message id, before giving up (default 60)")
      ->needs(nats_opt)
      ->check(CLI::Range(1, 3600));

  atmwatch::cli::AddStreamOptions add_stream;
  auto* add_stream_cmd =
      app.add_subcommand("add-stream", "create the JetStream stream the daemons consume");
  add_stream_cmd
      ->add_option("--nats", add_stream.servers,
                   "NATS server URL, or the servers of a cluster separated by commas")
      ->required();
  add_stream_cmd->add_option("--stream", add_stream.stream, "stream name")->capture_default_str();
  add_stream_cmd->add_option("--subjects", add_stream.subjects, "subjects the stream takes")
      ->capture_default_str();
  add_stream_cmd
      ->add_option("--replicas", add_stream.replicas,
                   "copies of each message, on as many servers of a cluster (3 survives the "
                   "loss of one server)")
      ->check(CLI::Range(1, 5))
      ->capture_default_str();
  add_stream_cmd
      ->add_option("--max-age", add_stream.max_age,
                   "drop messages older than this (e.g. 30d); 0 keeps them")
      ->capture_default_str();
  add_stream_cmd
      ->add_option("--max-bytes", add_stream.max_bytes,
                   "drop the oldest messages beyond this size (e.g. 64GiB); 0 is no limit")
      ->capture_default_str();
#endif

  atmwatch::cli::SimOptions sim;
  auto* sim_cmd = app.add_subcommand("sim", "simulate a fleet streaming into the daemon");
  sim_cmd->add_option("--ingest", sim.ingest, "daemon ingest address HOST:PORT")
      ->capture_default_str();
  sim_cmd
      ->add_option("--scenario", sim.scenario,
                   "live: a present-day fleet in real time; trust-networks: the FY2008-FY2009 "
                   "history of the reference CSV (daemon needs ingest.max_event_age: 0); demo: "
                   "the live fleet with 28 days of history, costs and misbehaving ATMs")
      ->check(CLI::IsMember({"live", "trust-networks", "demo"}))
      ->capture_default_str();
  sim_cmd->add_option("--csv", sim.csv, "trust-networks: the quarter table to reproduce")
      ->default_str(atmwatch::cli::kQuarterFiguresHelpPath);
  sim_cmd->add_option("--config", sim.config,
                      "trust-networks: the daemon's config file (its fees and calendar)");
  sim_cmd->add_option("--atms", sim.atms, "fleet size")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  sim_cmd->add_option("--rate", sim.rate, "transactions per second, fleet-wide")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sim_cmd->add_option("--duration", sim.duration_s, "seconds to run (0 = until Ctrl-C)")
      ->capture_default_str();
  sim_cmd->add_option("--seed", sim.seed, "random seed")->capture_default_str();
  sim_cmd
      ->add_option("--source-id", sim.source_id,
                   "source id of the simulator (trust-networks: sim-trust-networks)")
      ->capture_default_str();
  add_ingest_security(sim_cmd, &sim.tls, &sim.token_file);
  sim_cmd->add_flag("--print-inventory", sim.print_inventory,
                    "print the fleet as atmwatchd config YAML and exit");

  atmwatch::cli::ReportOptions report;
  bool quarters = false;
  auto* report_cmd = app.add_subcommand(
      "report", "print the fiscal report from a daemon or a stopped daemon's data dir");
  auto* report_period = report_cmd->add_option_group("period", "which report: give one");
  report_period->add_flag("--quarters", quarters,
                          "the fiscal-quarter table (with each whole fiscal year in the table)");
  report_period->add_flag("--years", report.years, "the fiscal-year table");
  report_period->add_flag("--plan", report.plan,
                          "plan, actual and forecast of one fiscal year (plan: in the config)");
  report_period->add_flag("--sites", report.sites,
                          "one month's earnings and availability per site and ATM (with --month)");
  report_period->require_option(1);
  report_cmd->add_option("--from", report.from, "first fiscal year, e.g. FY2008");
  report_cmd->add_option("--to", report.to, "last fiscal year, e.g. FY2010");
  report_cmd->add_option("--fiscal-year", report.fiscal_year,
                         "with --plan: the fiscal year, e.g. FY2010 (default: after --as-of)");
  report_cmd->add_option("--as-of", report.as_of,
                         "with --plan: the last day whose records count, e.g. 2010-03-31 "
                         "(default: yesterday)");
  report_cmd->add_option("--month", report.month, "with --sites: the local month, e.g. 2010-03");
  report_cmd->add_option("--format", report.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  report_cmd->add_option("--http", report.http, "daemon HTTP address HOST:PORT")
      ->capture_default_str();
  report_cmd->add_option("--data-dir", report.data_dir,
                         "read a stopped daemon's data directory instead of asking --http");
  report_cmd->add_option("--config", report.config,
                         "with --data-dir: the daemon's config (calendar, fees, costs)");

  atmwatch::cli::WalOptions wal;
  auto* wal_cmd = app.add_subcommand("wal", "check or dump a data directory's WAL and snapshots");
  wal_cmd->require_subcommand(1);
  auto* wal_verify = wal_cmd->add_subcommand(
      "verify", "check every segment and snapshot; exit 1 on damage, a torn tail only warns");
  wal_verify->add_option("dir", wal.dir, "data directory (or its wal/ directory)")->required();
  auto* wal_dump = wal_cmd->add_subcommand("dump", "print every WAL record as a JSON line");
  wal_dump->add_option("dir", wal.dir, "data directory (or its wal/ directory)")->required();
  wal_dump->add_option("--from-lsn", wal.from_lsn, "first LSN to print");

  app.add_subcommand("version", "print the version")->callback([] {
    std::cout << "atmwatch " << ATMWATCH_VERSION << "\n";
  });

  if (const int refused = RefuseUnknownSubcommand(app, argc, argv); refused != 0) return refused;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
#ifdef ATMWATCH_WITH_JETSTREAM
  if (send_cmd->parsed() && !nats_send.servers.empty()) {
    if (nats_send.subject.empty()) {
      std::cerr << "atmwatch send: --nats needs --subject\n";
      return 2;
    }
    nats_send.source_id = send.source_id;
    nats_send.input = send.input;
    nats_send.batch_events = send.batch_events;
    if (nats_send.source_id.empty()) {
      std::cerr << "atmwatch send: --nats needs --source-id (its seqs continue across runs)\n";
      return 2;
    }
    return atmwatch::cli::RunNatsSend(nats_send);
  }
  if (add_stream_cmd->parsed()) return atmwatch::cli::RunAddStream(add_stream);
#endif
  if (send_cmd->parsed()) return atmwatch::cli::RunSend(send);
  if (sim_cmd->parsed()) return atmwatch::cli::RunSim(sim);
  if (report_cmd->parsed()) return atmwatch::cli::RunReport(report, std::cout, std::cerr);
  if (wal_verify->parsed()) return atmwatch::cli::RunWalVerify(wal, std::cout, std::cerr);
  if (wal_dump->parsed()) return atmwatch::cli::RunWalDump(wal, std::cout, std::cerr);
  return 0;
}
