// What a new user of the atmwatch CLI meets first: a mistyped subcommand,
// --version, and a simulator started before the daemon.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "testing/child_process.h"
#include "testing/picked_port.h"
#include "testing/temp_dir.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

TEST(CliUsageTest, MistypedSubcommandIsNamedWithTheNearestOne) {
  const ToolResult reprot = RunTool({ATMWATCH_CLI_PATH, "reprot"});
  EXPECT_EQ(reprot.exit_code, 2);
  EXPECT_NE(reprot.output.find("'reprot' is not a subcommand; did you mean 'report'?"),
            std::string::npos)
      << reprot.output;
  EXPECT_EQ(reprot.output.find("A subcommand is required"), std::string::npos) << reprot.output;

  const ToolResult snd = RunTool({ATMWATCH_CLI_PATH, "snd"});
  EXPECT_EQ(snd.exit_code, 2);
  EXPECT_NE(snd.output.find("did you mean 'send'?"), std::string::npos) << snd.output;

  const ToolResult far = RunTool({ATMWATCH_CLI_PATH, "deploy"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_NE(far.output.find("'deploy' is not a subcommand"), std::string::npos) << far.output;
  EXPECT_EQ(far.output.find("did you mean"), std::string::npos) << far.output;
}

TEST(CliUsageTest, VersionFlagPrintsWhatTheDaemonPrints) {
  const ToolResult cli = RunTool({ATMWATCH_CLI_PATH, "--version"});
  const ToolResult daemon = RunTool({ATMWATCHD_PATH, "--version"});
  EXPECT_EQ(cli.exit_code, 0) << cli.output;
  EXPECT_EQ(daemon.exit_code, 0) << daemon.output;
  EXPECT_EQ(cli.output, daemon.output);
  EXPECT_FALSE(cli.output.empty());
}

TEST(CliUsageTest, SendAndSimHelpShowTheirDefaultsAndNoBuildTreePath) {
  const ToolResult send = RunTool({ATMWATCH_CLI_PATH, "send", "--help"});
  EXPECT_NE(send.output.find("--ingest TEXT=127.0.0.1:7420"), std::string::npos) << send.output;
  const ToolResult sim = RunTool({ATMWATCH_CLI_PATH, "sim", "--help"});
  EXPECT_NE(sim.output.find("--ingest TEXT=127.0.0.1:7420"), std::string::npos) << sim.output;
  EXPECT_NE(sim.output.find("=<prefix>/share/atmwatch/trust-networks-quarters.csv"),
            std::string::npos)
      << sim.output;
  EXPECT_EQ(sim.output.find("/data/trust-networks-quarters.csv"), std::string::npos) << sim.output;
}

// The daemon is down: sim says so on its first failed attempt, naming the
// address, and keeps retrying (it is still running when the line is there).
TEST(CliUsageTest, SimSaysAtOnceThatItRetriesAndWhere) {
  const std::string address = "127.0.0.1:" + std::to_string(FreePort());
  const TempDir dir("atmwatch-sim-retry");
  ChildProcess sim;
  ASSERT_TRUE(sim.Spawn({ATMWATCH_CLI_PATH, "sim", "--ingest", address, "--atms", "2"},
                        dir.Join("sim.log")));
  const std::string expected = "cannot reach the daemon at " + address;
  EXPECT_TRUE(sim.WaitForLine(expected, std::chrono::seconds(10))) << sim.log();
  EXPECT_NE(sim.log().find("retrying for up to 60 s"), std::string::npos) << sim.log();
  EXPECT_TRUE(sim.running()) << "sim gave up: " << sim.log();
}

}  // namespace
}  // namespace atmwatch::testing
