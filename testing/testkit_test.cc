// The testkit's own pieces against real processes and directories.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "testing/child_process.h"
#include "testing/eventually.h"
#include "testing/picked_port.h"
#include "testing/temp_dir.h"

namespace atmwatch::testing {
namespace {

using namespace std::chrono_literals;

TEST(TempDirTest, IsAFreshDirectoryRemovedWithItsContents) {
  std::string path;
  {
    const TempDir dir("testkit-test");
    path = dir.path();
    EXPECT_TRUE(std::filesystem::is_directory(path));
    EXPECT_TRUE(std::filesystem::is_empty(path));
    std::filesystem::create_directories(dir.Join("a/b"));
    std::ofstream(dir.Join("a/b/file")) << "x";
    EXPECT_NE(TempDir("testkit-test").path(), path);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ChildProcessTest, CapturesOutputWaitsForALineAndReportsTheExitCode) {
  const TempDir dir("testkit-test");
  ChildProcess child;
  ASSERT_TRUE(child.Spawn({"sh", "-c", "echo \"out $GREETING\"; echo err >&2; exit 3"},
                          dir.Join("log"), {.env = {"GREETING=hello"}}));
  EXPECT_EQ(child.Wait(10s), 3);
  EXPECT_FALSE(child.running());
  EXPECT_EQ(child.exit_code(), 3);
  EXPECT_EQ(child.WaitForLine("out", 1s), "out hello");
  EXPECT_NE(child.log().find("err\n"), std::string::npos) << child.log();
}

TEST(ChildProcessTest, WaitForLineOnlyTakesACompleteLine) {
  const TempDir dir("testkit-test");
  ChildProcess child;
  ASSERT_TRUE(child.Spawn({"sh", "-c", "printf 'port 12'; sleep 0.2; printf '34\\n'; sleep 30"},
                          dir.Join("log")));
  EXPECT_EQ(child.WaitForLine("port ", 10s), "port 1234");
}

TEST(ChildProcessTest, WaitingEndsWhenTheChildExitsFirst) {
  const TempDir dir("testkit-test");
  ChildProcess child;
  ASSERT_TRUE(child.Spawn({"sh", "-c", "exit 0"}, dir.Join("log")));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(child.WaitForLine("never", 20s), std::nullopt);
  EXPECT_FALSE(child.WaitUntil([] { return false; }, 20s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(ChildProcessTest, StopSignalsAndTheDestructorKillsWhatIsLeft) {
  const TempDir dir("testkit-test");
  ChildProcess child;
  ASSERT_TRUE(child.Spawn({"sleep", "30"}, dir.Join("log")));
  EXPECT_TRUE(child.running());
  EXPECT_EQ(child.Stop(SIGTERM, 10s), 128 + SIGTERM);

  pid_t left = -1;
  {
    ChildProcess orphan;
    ASSERT_TRUE(orphan.Spawn({"sleep", "30"}, dir.Join("log")));
    left = orphan.pid();
  }
  EXPECT_NE(kill(left, 0), 0);  // reaped: no such process any more
}

TEST(ChildProcessTest, AProgramNotFoundIsNotStarted) {
  const TempDir dir("testkit-test");
  ChildProcess child;
  EXPECT_FALSE(child.Spawn({"/nonexistent/program"}, dir.Join("log")));
  EXPECT_FALSE(child.running());
  EXPECT_EQ(child.Wait(1s), -1);
}

TEST(StartWithPortRetriesTest, PicksAgainWhenTheBindFailedAndGivesUpOnOtherFailures) {
  const TempDir dir("testkit-test");
  ChildProcess child;
  int spawns = 0;
  // The first start finds its port taken; the second binds.
  const auto spawn = [&] {
    ++spawns;
    return child.Spawn(
        {"sh", "-c",
         spawns == 1 ? "echo 'cannot listen on 127.0.0.1:1'; exit 2" : "echo serving; sleep 30"},
        dir.Join("log"));
  };
  EXPECT_TRUE(StartWithPortRetries(
      child, spawn, [&] { return child.log().find("serving") != std::string::npos; },
      {"cannot listen on"}, 10s));
  EXPECT_EQ(spawns, 2);

  ChildProcess broken;
  int broken_spawns = 0;
  EXPECT_FALSE(StartWithPortRetries(
      broken,
      [&] {
        ++broken_spawns;
        return broken.Spawn({"sh", "-c", "echo 'bad config'; exit 2"}, dir.Join("broken.log"));
      },
      [] { return false; }, {"cannot listen on"}, 10s));
  EXPECT_EQ(broken_spawns, 1);
}

TEST(FreePortTest, IsALoopbackPortNotInUse) {
  EXPECT_GT(FreePort(), 0);
  EXPECT_GT(FreeUdpPort(), 0);
}

TEST(EventuallyTest, AsksOnceMoreAtTheDeadline) {
  int calls = 0;
  EXPECT_TRUE(Eventually([&] { return ++calls >= 3; }, 10s, 1ms));
  EXPECT_EQ(calls, 3);
  EXPECT_FALSE(Eventually([] { return false; }, 50ms, 10ms));
}

}  // namespace
}  // namespace atmwatch::testing
