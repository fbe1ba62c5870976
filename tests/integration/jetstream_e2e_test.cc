// Scale-out on NATS JetStream end to end: a real nats-server, two atmwatchd
// that each own a share of the subjects, and the atmwatch CLI publishing.
// Each daemon counts exactly its share; a daemon killed mid-stream and
// restarted loses nothing and doubles nothing; a batch delivered again is
// acked as a duplicate and not applied twice.

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <thread>

#include "jetstream/testing/nats_server.h"
#include "testing/daemon_process.h"
#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/test_events.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

using jetstream::testing::NatsServer;
using jetstream::testing::Publisher;
using std::chrono::milliseconds;

constexpr char kKanto[] = "atmwatch.events.kanto";
constexpr char kKansai[] = "atmwatch.events.kansai";
constexpr char kChubu[] = "atmwatch.events.chubu";

const char* kInventory = R"(
atms:
  - {id: ATM0001, site: "Parlor Shinjuku 1", region: kanto}
  - {id: ATM0002, site: "Parlor Umeda 1", region: kansai}
  - {id: ATM0003, site: "Shop Sakae 1", region: chubu}
)";

std::string DaemonConfig(const std::string& url, const std::string& durable,
                         const std::string& subjects) {
  return std::string(kInventory) + "jetstream:\n  url: " + url +
         "\n  stream: ATMWATCH\n  durable: " + durable + "\n  subjects: [" + subjects +
         "]\n  fetch_batch: 16\n  max_in_flight: 64\n  ack_wait: 2s\n  nak_delay: 200ms\n";
}

std::string WithdrawalsSeries(const std::string& atm) {
  return TransactionSeries(atm, "withdrawal", "approved");
}

double Withdrawals(const DaemonProcess& daemon, const std::string& atm) {
  return SampleValue(HttpGet(daemon.http_base() + "/metrics").body, WithdrawalsSeries(atm));
}

double Acked(const DaemonProcess& daemon, const std::string& result, const std::string& subject) {
  return SampleValue(HttpGet(daemon.http_base() + "/metrics").body,
                     "atmwatch_jetstream_messages_acked_total{result=\"" + result +
                         "\",subject=\"" + subject + "\"}");
}

// Polls (bounded) until `value()` equals `want`; the last value seen.
double WaitFor(const std::function<double()>& value, double want,
               milliseconds timeout = milliseconds(30000)) {
  double seen = -1;
  Eventually([&] { return (seen = value()) == want; }, timeout, milliseconds(50));
  return seen;
}

class JetStreamE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (NatsServer::Executable().empty()) {
      GTEST_SKIP() << "nats-server is not installed (Debian: nats-server)";
    }
    ASSERT_TRUE(nats_.Start()) << nats_.log();
    publisher_ = std::make_unique<Publisher>(nats_.url());
    ASSERT_TRUE(publisher_->connected()) << publisher_->error();
    ASSERT_TRUE(publisher_->AddStream("ATMWATCH", {"atmwatch.events.>"})) << publisher_->error();
  }

  // `events` withdrawals at `atm` as JSON lines, for the CLI.
  std::string EventFile(const std::string& name, const std::string& atm, int events) {
    const std::string path = events_dir_.root() + "/" + name + ".jsonl";
    std::ofstream out(path);
    for (int i = 0; i < events; ++i) {
      std::string line;
      EXPECT_TRUE(google::protobuf::util::MessageToJsonString(Withdrawal(atm), &line).ok());
      out << line << "\n";
    }
    return path;
  }

  // The CLI as a real publisher, with JetStream publish acks.
  ToolResult Send(const std::string& subject, const std::string& source, std::uint64_t first_seq,
                  int batch, const std::string& file) {
    return RunTool({ATMWATCH_CLI_PATH, "send", "--nats", nats_.url(), "--subject", subject,
                    "--source-id", source, "--first-seq", std::to_string(first_seq), "--batch",
                    std::to_string(batch), file});
  }

  NatsServer nats_;
  std::unique_ptr<Publisher> publisher_;
  DaemonProcess events_dir_;  // never started: a temporary directory for event files
};

TEST_F(JetStreamE2eTest, EachDaemonCountsExactlyItsShare) {
  DaemonProcess east(DaemonConfig(nats_.url(), "east", std::string(kKanto) + ", " + kKansai));
  DaemonProcess west(DaemonConfig(nats_.url(), "west", kChubu));
  ASSERT_TRUE(east.Start()) << east.log();
  ASSERT_TRUE(west.Start()) << west.log();

  for (const auto& [subject, atm, events] :
       {std::tuple{kKanto, "ATM0001", 300}, {kKansai, "ATM0002", 200}, {kChubu, "ATM0003", 100}}) {
    const auto sent = Send(subject, std::string("src-") + atm, 1, 10, EventFile(atm, atm, events));
    ASSERT_EQ(sent.exit_code, 0) << sent.output;
  }
  EXPECT_EQ(WaitFor([&] { return Withdrawals(east, "ATM0001"); }, 300), 300) << east.log();
  EXPECT_EQ(WaitFor([&] { return Withdrawals(east, "ATM0002"); }, 200), 200) << east.log();
  EXPECT_EQ(WaitFor([&] { return Withdrawals(west, "ATM0003"); }, 100), 100) << west.log();
  // Each message was acked once, as applied, by the daemon owning its subject.
  EXPECT_EQ(WaitFor([&] { return Acked(east, "applied", kKanto); }, 30), 30);
  EXPECT_EQ(WaitFor([&] { return Acked(west, "applied", kChubu); }, 10), 10);
  // And nothing of the other's share.
  EXPECT_EQ(Withdrawals(east, "ATM0003"), 0);
  EXPECT_EQ(Withdrawals(west, "ATM0001"), 0);
  EXPECT_EQ(Withdrawals(west, "ATM0002"), 0);
  EXPECT_EQ(east.Stop(SIGTERM), 0) << east.log();
  EXPECT_EQ(west.Stop(SIGTERM), 0) << west.log();
}

TEST_F(JetStreamE2eTest, ADaemonKilledMidStreamLosesNothingAndDoublesNothing) {
  DaemonProcess east(DaemonConfig(nats_.url(), "east", kKanto));
  DaemonProcess west(DaemonConfig(nats_.url(), "west", kChubu));
  ASSERT_TRUE(east.Start()) << east.log();
  ASSERT_TRUE(west.Start()) << west.log();

  // 1500 batches of 2 on kanto, published while east is killed and restarted.
  constexpr int kKantoEvents = 3000;
  const std::string kanto_file = EventFile("kanto", "ATM0001", kKantoEvents);
  const std::string chubu_file = EventFile("chubu", "ATM0003", 500);
  std::atomic<int> kanto_exit{-2};
  std::string kanto_output;
  std::thread publishing([&] {
    const auto sent = Send(kKanto, "radius-kanto", 1, 2, kanto_file);
    kanto_output = sent.output;
    kanto_exit = sent.exit_code;
  });
  const auto chubu = Send(kChubu, "radius-chubu", 1, 5, chubu_file);
  ASSERT_EQ(chubu.exit_code, 0) << chubu.output;

  // Kill east once it has applied some of kanto, while the rest is coming.
  const double before_kill = WaitFor(
      [&] {
        const double n = Withdrawals(east, "ATM0001");
        return n >= 200 ? 200.0 : n;
      },
      200);
  east.Kill();
  publishing.join();  // the rest lands in the stream while east is down
  ASSERT_EQ(kanto_exit, 0) << kanto_output;
  ASSERT_EQ(before_kill, 200) << "east applied too little before the kill:\n" << east.log();

  ASSERT_TRUE(east.Start()) << east.log();
  EXPECT_EQ(WaitFor([&] { return Withdrawals(east, "ATM0001"); }, kKantoEvents), kKantoEvents)
      << east.log();
  EXPECT_EQ(WaitFor([&] { return Withdrawals(west, "ATM0003"); }, 500), 500) << west.log();
  // Nothing more comes: every message of kanto is settled on the server.
  EXPECT_EQ(
      WaitFor([&] { return publisher_->AckPending("ATMWATCH", "east_atmwatch_events_kanto"); }, 0),
      0)
      << publisher_->error();
  EXPECT_EQ(Withdrawals(east, "ATM0001"), kKantoEvents);
  EXPECT_EQ(east.Stop(SIGTERM), 0) << east.log();
  EXPECT_EQ(west.Stop(SIGTERM), 0) << west.log();
}

TEST_F(JetStreamE2eTest, ABatchDeliveredAgainIsAckedAsDuplicateAndNotApplied) {
  DaemonProcess east(DaemonConfig(nats_.url(), "east", kKanto));
  ASSERT_TRUE(east.Start()) << east.log();
  const std::string file = EventFile("three", "ATM0001", 30);
  auto sent = Send(kKanto, "radius-kanto", 1, 10, file);
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  ASSERT_EQ(WaitFor([&] { return Withdrawals(east, "ATM0001"); }, 30), 30) << east.log();

  // The same batch (source, seq 2) as a second message: to the daemon the
  // same as JetStream delivering it again after a lost ack.
  v1::Batch again;
  again.set_source_id("radius-kanto");
  again.set_seq(2);
  for (int i = 0; i < 10; ++i) *again.add_events() = Withdrawal("ATM0001");
  ASSERT_TRUE(publisher_->Publish(kKanto, again)) << publisher_->error();
  EXPECT_EQ(WaitFor([&] { return Acked(east, "duplicate", kKanto); }, 1), 1) << east.log();
  EXPECT_EQ(Withdrawals(east, "ATM0001"), 30);

  // The CLI run again with the same seqs: the stream drops the copies by
  // message id; the next new batch shows that nothing else arrived.
  sent = Send(kKanto, "radius-kanto", 1, 10, file);
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  sent = Send(kKanto, "radius-kanto", 4, 10, EventFile("fourth", "ATM0001", 10));
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  EXPECT_EQ(WaitFor([&] { return Withdrawals(east, "ATM0001"); }, 40), 40) << east.log();
  EXPECT_EQ(Acked(east, "applied", kKanto), 4);
  EXPECT_EQ(Acked(east, "duplicate", kKanto), 1);
  EXPECT_EQ(east.Stop(SIGTERM), 0) << east.log();
}

TEST_F(JetStreamE2eTest, AnUnknownJetStreamKeyIsAConfigErrorNamingTheLine) {
  DaemonProcess daemon(std::string(kInventory) + "jetstream:\n  durable: east\n  subjects: [" +
                       kKanto + "]\n  fetch_bach: 8\n");
  daemon.Spawn();
  EXPECT_EQ(daemon.WaitExit(std::chrono::seconds(10)), 2);
  EXPECT_NE(daemon.log().find("jetstream.fetch_bach: unknown key; did you mean 'fetch_batch'?"),
            std::string::npos)
      << daemon.log();
}

}  // namespace
}  // namespace atmwatch::testing
