// How atmwatchd starts, reloads and stops: exit codes, messages and signals.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>

#include "testing/daemon_process.h"
#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

TEST(DaemonLifecycleTest, SigtermStopsCleanlyWithExitZero) {
  DaemonProcess daemon;
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  EXPECT_EQ(HttpGet(daemon.http_base() + "/healthz").status, 200);
  EXPECT_EQ(daemon.Stop(SIGTERM, std::chrono::seconds(5)), 0) << daemon.log();
  EXPECT_NE(daemon.log().find("shutting down"), std::string::npos);
}

TEST(DaemonLifecycleTest, SigintStopsCleanlyToo) {
  DaemonProcess daemon;
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  EXPECT_EQ(daemon.Stop(SIGINT, std::chrono::seconds(5)), 0) << daemon.log();
}

TEST(DaemonLifecycleTest, ConfigTypoExitsTwoNamingTheKeyAndLine) {
  DaemonProcess daemon("timezone: \"+09:00\"\ningest:\n  max_frame_byts: 1MiB\n");
  daemon.Spawn();
  EXPECT_EQ(daemon.WaitExit(std::chrono::seconds(10)), 2);
  EXPECT_NE(daemon.log().find("atmwatch.yaml:3: ingest.max_frame_byts: unknown key; did you mean "
                              "'max_frame_bytes'?"),
            std::string::npos)
      << daemon.log();
}

// Two mistakes, two log lines: an unknown key on line 2 and a negative fee
// on line 4 are both reported before the daemon exits 2.
TEST(DaemonLifecycleTest, ConfigWithSeveralMistakesExitsTwoNamingEveryOne) {
  DaemonProcess daemon("ingest:\n  max_frame_byts: 1MiB\nfees:\n  default_yen: -105\n");
  daemon.Spawn();
  EXPECT_EQ(daemon.WaitExit(std::chrono::seconds(10)), 2);
  const std::string log = daemon.log();
  const std::size_t key = log.find(
      "atmwatch.yaml:2: ingest.max_frame_byts: unknown key; did you mean 'max_frame_bytes'?");
  const std::size_t fee = log.find(
      "atmwatch.yaml:4: fees.default_yen: -105 is negative; write the fee the issuer pays");
  EXPECT_NE(key, std::string::npos) << log;
  EXPECT_NE(fee, std::string::npos) << log;
  EXPECT_LT(key, fee) << log;
}

TEST(DaemonLifecycleTest, BadFlagValueExitsTwo) {
  DaemonProcess daemon("", {"--max-event-age", "forever"});
  daemon.Spawn();
  EXPECT_EQ(daemon.WaitExit(std::chrono::seconds(10)), 2);
  EXPECT_NE(daemon.log().find("--max-event-age: 'forever' is not a duration"), std::string::npos)
      << daemon.log();
}

TEST(DaemonLifecycleTest, TakenIngestPortExitsTwoNamingTheAddress) {
  // The test holds a port of its own (bound to 0, read back) and gives it
  // to the daemon.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  DaemonProcess daemon;
  daemon.set_ingest_port(ntohs(address.sin_port));
  const std::string taken = daemon.ingest_address();

  daemon.Spawn();
  EXPECT_EQ(daemon.WaitExit(std::chrono::seconds(10)), 2);
  EXPECT_NE(daemon.log().find("cannot listen on " + taken), std::string::npos) << daemon.log();
  close(fd);
}

TEST(DaemonLifecycleTest, SighupReloadsTheInventoryWithoutRestart) {
  DaemonProcess daemon("atms:\n  - {id: ATM0001, site: Old, region: kanto}\n");
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const std::string new_info =
      R"(atmwatch_atm_info{atm_id="ATM0002",site="New",region="kansai",line_id="",carrier=""})";
  EXPECT_EQ(SampleValue(HttpGet(daemon.http_base() + "/metrics").body, new_info), -1);

  daemon.WriteConfig(
      "atms:\n  - {id: ATM0001, site: Old, region: kanto}\n  - {id: ATM0002, site: New, region: "
      "kansai}\n");
  daemon.Signal(SIGHUP);
  double value = -1;
  Eventually(
      [&] {
        value = SampleValue(HttpGet(daemon.http_base() + "/metrics").body, new_info);
        return value == 1;
      },
      std::chrono::seconds(5), std::chrono::milliseconds(50));
  EXPECT_EQ(value, 1) << daemon.log();

  // A broken file on reload keeps the running config.
  daemon.WriteConfig("atms: 12\n");
  daemon.Signal(SIGHUP);
  EXPECT_TRUE(Eventually([&] { return daemon.log().find("reload refused") != std::string::npos; },
                         std::chrono::seconds(5), std::chrono::milliseconds(50)))
      << daemon.log();
  EXPECT_EQ(SampleValue(HttpGet(daemon.http_base() + "/metrics").body, new_info), 1);
  EXPECT_EQ(daemon.Stop(SIGTERM), 0);
}

// The burn-rate alerts read the objective from /metrics, so a reload must
// reach it as it reaches the engine.
TEST(DaemonLifecycleTest, SloObjectiveIsExportedAndReloaded) {
  const std::string objective = R"(atmwatch_slo_objective_ratio{slo="cardholder_availability"})";
  DaemonProcess daemon;
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  EXPECT_DOUBLE_EQ(SampleValue(HttpGet(daemon.http_base() + "/metrics").body, objective), 0.995);

  daemon.WriteConfig("slo: {cardholder_availability: 0.98}\n");
  daemon.Signal(SIGHUP);
  double value = -1;
  Eventually(
      [&] {
        value = SampleValue(HttpGet(daemon.http_base() + "/metrics").body, objective);
        return value == 0.98;
      },
      std::chrono::seconds(5), std::chrono::milliseconds(50));
  EXPECT_DOUBLE_EQ(value, 0.98) << daemon.log();
  EXPECT_EQ(daemon.Stop(SIGTERM), 0);
}

TEST(DaemonLifecycleTest, EmptyConfigFileExitsTwoNamingTheFile) {
  DaemonProcess daemon;
  daemon.WriteConfig("");
  daemon.Spawn();
  EXPECT_EQ(daemon.WaitExit(std::chrono::seconds(10)), 2);
  EXPECT_NE(daemon.log().find("atmwatch.yaml: the config file is empty (no settings); write {} "
                              "for every default"),
            std::string::npos)
      << daemon.log();
}

// A file caught empty (truncated, mid-write) or gone on SIGHUP must not
// reset the inventory and the limits to the defaults.
TEST(DaemonLifecycleTest, EmptyOrVanishedConfigOnSighupKeepsTheRunningConfig) {
  DaemonProcess daemon("atms:\n  - {id: ATM0001, site: Old, region: kanto}\n");
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const std::string info =
      R"(atmwatch_atm_info{atm_id="ATM0001",site="Old",region="kanto",line_id="",carrier=""})";
  const std::string failed = R"(atmwatch_config_reloads_total{result="failed"})";
  const auto metrics = [&] { return HttpGet(daemon.http_base() + "/metrics").body; };
  ASSERT_EQ(SampleValue(metrics(), info), 1);

  daemon.WriteConfig("");
  daemon.Signal(SIGHUP);
  EXPECT_TRUE(Eventually([&] { return SampleValue(metrics(), failed) == 1; })) << daemon.log();
  std::filesystem::remove(daemon.root() + "/atmwatch.yaml");
  daemon.Signal(SIGHUP);
  EXPECT_TRUE(Eventually([&] { return SampleValue(metrics(), failed) == 2; })) << daemon.log();

  const std::string log = daemon.log();
  EXPECT_NE(log.find("[error] reload refused, keeping the running config: " + daemon.root() +
                     "/atmwatch.yaml: the config file is empty"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("atmwatch.yaml: cannot read the config file"), std::string::npos) << log;
  EXPECT_EQ(log.find("config applied"), std::string::npos) << log;
  EXPECT_EQ(SampleValue(metrics(), info), 1);
  EXPECT_EQ(SampleValue(metrics(), R"(atmwatch_config_reloads_total{result="ok"})"), 0);
  EXPECT_EQ(daemon.Stop(SIGTERM), 0);
}

// One data directory, one daemon: the second exits 1 naming the first's
// PID, and the CLI's offline readers are refused the same way while it runs.
TEST(DaemonLifecycleTest, SecondDaemonOnOneDataDirectoryExitsOneNamingTheHolder) {
  DaemonProcess first;
  ASSERT_TRUE(first.Start()) << first.log();
  DaemonProcess second;
  second.set_data_dir(first.data_dir());
  second.Spawn();
  EXPECT_EQ(second.WaitExit(std::chrono::seconds(10)), 1) << second.log();
  EXPECT_NE(
      second.log().find(first.data_dir() + " is in use: atmwatchd (PID " +
                        std::to_string(first.pid()) + ") holds " + first.data_dir() + "/LOCK"),
      std::string::npos)
      << second.log();
  EXPECT_EQ(second.log().find("listening on"), std::string::npos) << second.log();

  const ToolResult report =
      RunTool({ATMWATCH_CLI_PATH, "report", "--quarters", "--data-dir", first.data_dir()});
  EXPECT_EQ(report.exit_code, 1) << report.output;
  EXPECT_NE(report.output.find("atmwatchd (PID " + std::to_string(first.pid()) + ")"),
            std::string::npos)
      << report.output;
  EXPECT_NE(report.output.find("leave out --data-dir"), std::string::npos) << report.output;
  const ToolResult verify = RunTool({ATMWATCH_CLI_PATH, "wal", "verify", first.data_dir()});
  EXPECT_EQ(verify.exit_code, 2) << verify.output;
  EXPECT_NE(verify.output.find("atmwatchd (PID " + std::to_string(first.pid()) + ")"),
            std::string::npos)
      << verify.output;

  // Stopped, the directory is free for the readers and for the next daemon.
  ASSERT_EQ(first.Stop(SIGTERM), 0) << first.log();
  EXPECT_EQ(RunTool({ATMWATCH_CLI_PATH, "wal", "verify", first.data_dir()}).exit_code, 0);
  EXPECT_EQ(RunTool({ATMWATCH_CLI_PATH, "report", "--quarters", "--data-dir", first.data_dir()})
                .exit_code,
            0);
  EXPECT_TRUE(second.Start()) << second.log();
}

}  // namespace
}  // namespace atmwatch::testing
