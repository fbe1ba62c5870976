#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "testing/child_process.h"
#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/picked_port.h"
#include "testing/read_file.h"
#include "testing/temp_dir.h"
#include "testing/tool_run.h"

// RunCollectorMain as the collectors use it, in a real process: the fake
// collector of collector_main_test_program.cc.
namespace atmwatch::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

class CollectorMainTest : public ::testing::Test {
 protected:
  // On a picked metrics port (the program cannot report one it was given
  // by the system), picked again if it was taken before the program bound it.
  void Start(std::vector<std::string> extra = {}) {
    const auto spawn = [&] {
      metrics_port_ = FreePort();
      std::vector<std::string> argv = {ATMWATCH_FAKE_COLLECTOR_PATH, "--metrics-listen",
                                       "127.0.0.1:" + std::to_string(metrics_port_)};
      argv.insert(argv.end(), extra.begin(), extra.end());
      return child_.Spawn(argv, log_path(), {.env = {}, .truncate_log = true});
    };
    ASSERT_TRUE(StartWithPortRetries(
        child_, spawn, [&] { return Log().find("running:") != std::string::npos; },
        {"cannot serve metrics on"}, 10s))
        << Log();
  }
  std::string log_path() const { return dir_.Join("fake.log"); }
  std::string Log() const { return ReadFile(log_path()); }

  TempDir dir_{"collector-main-test"};
  int metrics_port_ = 0;
  ChildProcess child_;
};

TEST_F(CollectorMainTest, VersionPrintsTheProgramAndItsVersion) {
  const ToolResult result = RunTool({ATMWATCH_FAKE_COLLECTOR_PATH, "--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output, "atmwatch-fake 1.2.3\n");
}

TEST_F(CollectorMainTest, AMistakenFlagOrConfigExitsTwoSayingWhy) {
  EXPECT_EQ(RunTool({ATMWATCH_FAKE_COLLECTOR_PATH, "--no-such-flag"}).exit_code, 2);
  EXPECT_EQ(RunTool({ATMWATCH_FAKE_COLLECTOR_PATH, "--config", dir_.Join("absent.yaml")}).exit_code,
            2);
  const ToolResult refused = RunTool({ATMWATCH_FAKE_COLLECTOR_PATH, "--refuse-config"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.output, HasSubstr("atmwatch-fake: the config says no; fix it"));
}

TEST_F(CollectorMainTest, HelpNamesTheCommonFlagsWithTheCollectorsDefaults) {
  const ToolResult help = RunTool({ATMWATCH_FAKE_COLLECTOR_PATH, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.output, HasSubstr("atmwatch-fake: a collector for tests"));
  EXPECT_THAT(help.output, HasSubstr("--hang"));
  EXPECT_THAT(help.output, HasSubstr("(default 127.0.0.1:9799)"));
  EXPECT_THAT(help.output, HasSubstr("(default fake-default)"));
}

TEST_F(CollectorMainTest, FlagsGoOverTheConfigAndMetricsAreServed) {
  Start({"--ingest", "10.0.0.9:7420", "--source-id", "fake-1"});
  EXPECT_THAT(Log(), HasSubstr("running: ingest 10.0.0.9:7420 as fake-1"));
  EXPECT_EQ(
      SampleValue(HttpGet("http://127.0.0.1:" + std::to_string(metrics_port_) + "/metrics").body,
                  "fake_runs_total"),
      0);
  EXPECT_EQ(child_.Stop(SIGTERM, 5s), 0) << Log();
}

TEST_F(CollectorMainTest, TheConfigFileGoesOverTheDefaultsAndFlagsOverTheFile) {
  const std::string config = dir_.Join("fake.conf");
  { std::ofstream(config) << "10.0.0.1:7420 from-file\n"; }
  Start({"--config", config, "--source-id", "from-flag"});
  EXPECT_THAT(Log(), HasSubstr("running: ingest 10.0.0.1:7420 as from-flag"));
  EXPECT_EQ(child_.Stop(SIGTERM, 5s), 0) << Log();
}

TEST_F(CollectorMainTest, ABadConfigFileExitsTwoNamingIt) {
  const std::string config = dir_.Join("fake.conf");
  { std::ofstream(config) << "only-one-word\n"; }
  const ToolResult result = RunTool({ATMWATCH_FAKE_COLLECTOR_PATH, "--config", config});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.output, HasSubstr("atmwatch-fake: " + config + ": not ADDRESS SOURCE_ID"));
}

TEST_F(CollectorMainTest, SigintAndSigtermAskTheCollectorToStopAndItExitsZero) {
  for (const int signal : {SIGINT, SIGTERM}) {
    Start();
    EXPECT_EQ(child_.Stop(signal, 5s), 0) << Log();
    EXPECT_THAT(Log(), HasSubstr("stop requested by signal " + std::to_string(signal)));
    EXPECT_THAT(Log(), HasSubstr("stopped"));
    EXPECT_THAT(Log(), Not(HasSubstr("still busy")));
  }
}

TEST_F(CollectorMainTest, SighupDoesNotStopIt) {
  Start();
  ASSERT_EQ(kill(child_.pid(), SIGHUP), 0);
  // A SIGHUP not ignored would have ended it with 128 + 1 before SIGTERM.
  EXPECT_EQ(child_.Stop(SIGTERM, 5s), 0) << Log();
  EXPECT_THAT(Log(), HasSubstr("stop requested by signal " + std::to_string(SIGTERM)));
}

TEST_F(CollectorMainTest, ACollectorThatDoesNotStopIsEndedAtTheDeadlineWithExitZero) {
  Start({"--hang"});
  ASSERT_EQ(kill(child_.pid(), SIGTERM), 0);
  // A second signal during the drain is caught, not fatal.
  ASSERT_TRUE(
      Eventually([&] { return Log().find("stop requested") != std::string::npos; }, 5s, 10ms));
  ASSERT_EQ(kill(child_.pid(), SIGINT), 0);
  EXPECT_EQ(child_.Wait(5s), 0) << Log();
  EXPECT_THAT(Log(), HasSubstr("fake: still busy after 300 ms"));
  EXPECT_THAT(Log(), Not(HasSubstr("stopped")));
}

TEST_F(CollectorMainTest, AMetricsAddressInUseExitsTwo) {
  Start();
  const ToolResult second = RunTool({ATMWATCH_FAKE_COLLECTOR_PATH, "--metrics-listen",
                                     "127.0.0.1:" + std::to_string(metrics_port_)});
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_THAT(second.output,
              HasSubstr("pick a free address with --metrics-listen or metrics_listen"));
  EXPECT_EQ(child_.Stop(SIGTERM, 5s), 0) << Log();
}

}  // namespace
}  // namespace atmwatch::testing
