// JetStream on a three-node cluster end to end: an R3 stream made by
// `atmwatch add-stream --replicas 3`, two shard daemons and `atmwatch send
// --nats` given all three servers. The server leading the stream is killed
// while the publisher streams, then restarted: nothing acked is lost,
// nothing is applied twice, the daemons stay connected but for a moment,
// and the publisher finishes on its own.

#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <functional>
#include <thread>

#include "jetstream/testing/nats_cluster.h"
#include "jetstream/testing/nats_server.h"
#include "testing/child_process.h"
#include "testing/daemon_process.h"
#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/temp_dir.h"
#include "testing/test_events.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

using jetstream::testing::NatsCluster;
using jetstream::testing::NatsServer;
using jetstream::testing::Publisher;
using std::chrono::milliseconds;

constexpr char kKanto[] = "atmwatch.events.kanto";
constexpr char kChubu[] = "atmwatch.events.chubu";

std::string DaemonConfig(const std::string& urls, const std::string& durable,
                         const std::string& subject) {
  return "atms:\n"
         "  - {id: ATM0001, site: \"Parlor Shinjuku 1\", region: kanto}\n"
         "  - {id: ATM0003, site: \"Shop Sakae 1\", region: chubu}\n"
         "jetstream:\n  url: " +
         urls + "\n  stream: ATMWATCH\n  durable: " + durable + "\n  subjects: [" + subject +
         "]\n  fetch_batch: 16\n  max_in_flight: 64\n  ack_wait: 2s\n  nak_delay: 200ms\n"
         "  reconnect_wait: 100ms\n";
}

double Metric(const DaemonProcess& daemon, const std::string& series) {
  return SampleValue(HttpGet(daemon.http_base() + "/metrics").body, series);
}

double Withdrawals(const DaemonProcess& daemon, const std::string& atm) {
  return Metric(daemon, TransactionSeries(atm, "withdrawal", "approved"));
}

// Polls (bounded) until `value()` equals `want`; the last value seen.
double WaitFor(const std::function<double()>& value, double want,
               milliseconds timeout = milliseconds(60000)) {
  double seen = -1;
  Eventually([&] { return (seen = value()) == want; }, timeout, milliseconds(50));
  return seen;
}

std::string WithdrawalLines(const std::string& atm, int events) {
  std::string line;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(Withdrawal(atm), &line).ok());
  std::string out;
  for (int i = 0; i < events; ++i) out += line + "\n";
  return out;
}

// The longest time atmwatch_jetstream_connected stayed 0 on either daemon,
// sampled while it runs.
class ConnectedWatch {
 public:
  ConnectedWatch(const DaemonProcess& east, const DaemonProcess& west)
      : thread_([this, &east, &west] {
          auto down_since = std::array<std::chrono::steady_clock::time_point, 2>{};
          auto down = std::array<bool, 2>{};
          while (!stop_) {
            const DaemonProcess* daemons[] = {&east, &west};
            for (int i = 0; i < 2; ++i) {
              const auto now = std::chrono::steady_clock::now();
              if (Metric(*daemons[i], "atmwatch_jetstream_connected") == 0) {
                if (!down[i]) down_since[i] = now;
                down[i] = true;
                longest_ = std::max<long long>(
                    longest_,
                    std::chrono::duration_cast<milliseconds>(now - down_since[i]).count());
              } else {
                down[i] = false;
              }
            }
            std::this_thread::sleep_for(milliseconds(20));  // the sampling period
          }
        }) {}
  ~ConnectedWatch() { Stop(); }
  // Stops sampling; the longest outage in ms.
  long long Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return longest_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<long long> longest_{0};
  std::thread thread_;
};

TEST(JetStreamClusterE2eTest, LosingTheStreamLeaderLosesNothingAndDoublesNothing) {
  if (NatsServer::Executable().empty()) {
    GTEST_SKIP() << "nats-server is not installed (Debian: nats-server)";
  }
  signal(SIGPIPE, SIG_IGN);  // a publisher that died must fail the write, not the test
  NatsCluster cluster;
  ASSERT_TRUE(cluster.Start()) << cluster.logs();
  // R3 needs the cluster's JetStream meta leader: retried until elected.
  ToolResult added;
  ASSERT_TRUE(Eventually(
      [&] {
        added = RunTool({ATMWATCH_CLI_PATH, "add-stream", "--nats", cluster.urls(), "--stream",
                         "ATMWATCH", "--replicas", "3"});
        return added.exit_code == 0;
      },
      milliseconds(30000), milliseconds(250)))
      << added.output << cluster.logs();

  DaemonProcess east(DaemonConfig(cluster.urls(), "east", kKanto));
  DaemonProcess west(DaemonConfig(cluster.urls(), "west", kChubu));
  ASSERT_TRUE(east.Start()) << east.log();
  ASSERT_TRUE(west.Start()) << west.log();
  const auto chubu_sent = RunTool({ATMWATCH_CLI_PATH, "send", "--nats", cluster.urls(), "--subject",
                                   kChubu, "--source-id", "radius-chubu", "--batch", "5", "-"},
                                  WithdrawalLines("ATM0003", 500));
  ASSERT_EQ(chubu_sent.exit_code, 0) << chubu_sent.output;

  // The kanto publisher reads a FIFO: the test decides when the second half
  // of its input comes, so the leader dies while it is publishing.
  TempDir dir("jetstream-cluster-test");
  const std::string fifo = dir.Join("kanto.fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  ChildProcess publisher;
  ASSERT_TRUE(publisher.Spawn(
      {ATMWATCH_CLI_PATH, "send", "--nats", cluster.urls(), "--subject", kKanto, "--source-id",
       "radius-kanto", "--batch", "2", "--publish-timeout", "30", fifo},
      dir.Join("publisher.log")));
  int fd = -1;
  ASSERT_TRUE(Eventually([&] { return (fd = open(fifo.c_str(), O_WRONLY | O_NONBLOCK)) >= 0; },
                         milliseconds(10000), milliseconds(20)))
      << publisher.log();
  ASSERT_EQ(fcntl(fd, F_SETFL, 0), 0);
  const auto write_all = [fd](const std::string& text) {
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t n = write(fd, text.data() + done, text.size() - done);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  };
  constexpr int kHalf = 1000;  // events: 500 batches of 2
  ASSERT_TRUE(write_all(WithdrawalLines("ATM0001", kHalf))) << publisher.log();
  ASSERT_EQ(WaitFor([&] { return Withdrawals(east, "ATM0001"); }, kHalf), kHalf) << east.log();

  ConnectedWatch watch(east, west);
  int leader = -1;
  ASSERT_TRUE(Eventually([&] { return (leader = cluster.StreamLeader("ATMWATCH")) >= 0; }))
      << cluster.logs();
  // A daemon connected to the leader must reconnect elsewhere.
  const std::string leader_series = "atmwatch_jetstream_server_info{server=\"" +
                                    cluster.url(leader).substr(std::string("nats://").size()) +
                                    "\"}";
  const bool east_on_leader = Metric(east, leader_series) == 1;
  const bool west_on_leader = Metric(west, leader_series) == 1;
  cluster.Kill(leader);
  // The second half goes to the cluster while it elects a new leader.
  const bool written = write_all(WithdrawalLines("ATM0001", kHalf));
  close(fd);
  EXPECT_TRUE(written) << publisher.log();
  EXPECT_EQ(publisher.Wait(milliseconds(60000)), 0) << publisher.log();
  ASSERT_TRUE(cluster.Restart(leader)) << cluster.logs();

  EXPECT_EQ(WaitFor([&] { return Withdrawals(east, "ATM0001"); }, 2 * kHalf), 2 * kHalf)
      << east.log();
  EXPECT_EQ(WaitFor([&] { return Withdrawals(west, "ATM0003"); }, 500), 500) << west.log();
  // Every kanto message settled on the cluster: nothing more is coming.
  Publisher info(cluster.urls());
  ASSERT_TRUE(info.connected()) << info.error();
  EXPECT_EQ(WaitFor([&] { return info.AckPending("ATMWATCH", "east_atmwatch_events_kanto"); }, 0),
            0)
      << info.error();
  EXPECT_EQ(Withdrawals(east, "ATM0001"), 2 * kHalf);
  EXPECT_EQ(Withdrawals(east, "ATM0003"), 0);
  EXPECT_EQ(Withdrawals(west, "ATM0001"), 0);
  // Each daemon is connected, to one of the configured servers.
  for (const DaemonProcess* daemon : {&east, &west}) {
    EXPECT_EQ(WaitFor([&] { return Metric(*daemon, "atmwatch_jetstream_connected"); }, 1), 1);
    double on = 0;
    for (int i = 0; i < NatsCluster::kServers; ++i) {
      const std::string server = cluster.url(i).substr(std::string("nats://").size());
      on += Metric(*daemon, "atmwatch_jetstream_server_info{server=\"" + server + "\"}");
    }
    EXPECT_EQ(on, 1) << daemon->log();
  }
  if (east_on_leader) EXPECT_GE(Metric(east, "atmwatch_jetstream_reconnects_total"), 1);
  if (west_on_leader) EXPECT_GE(Metric(west, "atmwatch_jetstream_reconnects_total"), 1);
  EXPECT_LT(watch.Stop(), 5000) << east.log() << west.log();
  EXPECT_EQ(east.Stop(SIGTERM), 0) << east.log();
  EXPECT_EQ(west.Stop(SIGTERM), 0) << west.log();
}

}  // namespace
}  // namespace atmwatch::testing
