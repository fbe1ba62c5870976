// atmwatch: the command line of atmwatch — send events, simulate a fleet,
// print the quarter report, inspect a data directory.

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/report_command.h"
#include "cli/send_command.h"
#include "cli/sim_command.h"
#include "cli/wal_command.h"

int main(int argc, char** argv) {
  CLI::App app{"atmwatch: send events to atmwatchd, simulate a fleet"};
  app.require_subcommand(1);

  atmwatch::cli::SendOptions send;
  auto* send_cmd = app.add_subcommand("send", "stream canonical-JSON Envelopes (one per line)");
  send_cmd->add_option("--ingest", send.ingest, "daemon ingest address HOST:PORT");
  send_cmd->add_option("--source-id", send.source_id, "source id (default send-<host>-<pid>)");
  send_cmd->add_option("--batch", send.batch_events, "events per batch")
      ->check(CLI::Range(1, 100000));
  send_cmd->add_option("input", send.input, "file to read, - for stdin")->capture_default_str();

  atmwatch::cli::SimOptions sim;
  auto* sim_cmd = app.add_subcommand("sim", "simulate a fleet streaming into the daemon");
  sim_cmd->add_option("--ingest", sim.ingest, "daemon ingest address HOST:PORT");
  sim_cmd
      ->add_option("--scenario", sim.scenario,
                   "live: a present-day fleet in real time; trust-networks: the FY2008-FY2009 "
                   "history of the reference CSV (daemon needs ingest.max_event_age: 0)")
      ->check(CLI::IsMember({"live", "trust-networks"}));
  sim_cmd->add_option("--csv", sim.csv, "trust-networks: the quarter table to reproduce")
      ->capture_default_str();
  sim_cmd->add_option("--config", sim.config,
                      "trust-networks: the daemon's config file (its fees and calendar)");
  sim_cmd->add_option("--atms", sim.atms, "fleet size")->check(CLI::Range(1, 100000));
  sim_cmd->add_option("--rate", sim.rate, "transactions per second, fleet-wide")
      ->check(CLI::PositiveNumber);
  sim_cmd->add_option("--duration", sim.duration_s, "seconds to run (0 = until Ctrl-C)");
  sim_cmd->add_option("--seed", sim.seed, "random seed");
  sim_cmd->add_option("--source-id", sim.source_id, "source id of the simulator");
  sim_cmd->add_flag("--print-inventory", sim.print_inventory,
                    "print the fleet as atmwatchd config YAML and exit");

  atmwatch::cli::ReportOptions report;
  bool quarters = false;
  auto* report_cmd = app.add_subcommand(
      "report", "print the fiscal-quarter table from a daemon or a stopped daemon's data dir");
  report_cmd->add_flag("--quarters", quarters, "the fiscal-quarter table (the only report)")
      ->required();
  report_cmd->add_option("--from", report.from, "first fiscal year, e.g. FY2008");
  report_cmd->add_option("--to", report.to, "last fiscal year, e.g. FY2010");
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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (send_cmd->parsed()) return atmwatch::cli::RunSend(send);
  if (sim_cmd->parsed()) return atmwatch::cli::RunSim(sim);
  if (report_cmd->parsed()) return atmwatch::cli::RunReport(report, std::cout, std::cerr);
  if (wal_verify->parsed()) return atmwatch::cli::RunWalVerify(wal, std::cout, std::cerr);
  if (wal_dump->parsed()) return atmwatch::cli::RunWalDump(wal, std::cout, std::cerr);
  return 0;
}
