// atmwatch-journal against an atmwatchd that requires mutual TLS and binds
// the collector's source to its certificate or to a token: the real
// collector and daemon on 127.0.0.1, certificates from the openssl CLI.
// While the daemon refuses the source the file offsets stay where they are,
// across a restart of the collector too; once the daemon's config is fixed
// every line arrives exactly once.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>

#include "journal/journal_process.h"
#include "testing/collector_credentials.h"
#include "testing/daemon_process.h"
#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/read_file.h"

namespace atmwatch::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr char kHeader[] = "time,atm_id,type,result,amount_yen\n";
constexpr char kRefusalLine[] = "UNAUTHENTICATED";
constexpr char kRecoveryLine[] = "the daemon accepts source 'journal-e2e' again";

// `count` approved withdrawals, ten minutes old.
std::string Withdrawals(int count) {
  const std::time_t t = std::time(nullptr) - 600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char time[32];
  std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string lines;
  for (int i = 0; i < count; ++i)
    lines += std::string(time) + ",ATM9100,WITHDRAWAL,APPROVED,10000\n";
  return lines;
}

std::size_t Occurrences(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

class JournalTlsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(credentials_.ok()) << credentials_.error(); }

  std::string DaemonConfig(const std::string& binding) const {
    return credentials_.DaemonIngest(binding, "  max_unknown_atms: 100\n");
  }
  void StartDaemon(const std::string& binding) {
    daemon_ = std::make_unique<DaemonProcess>(DaemonConfig(binding));
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
    dir_ = fs::path(daemon_->root()) / "journal-test";
    fs::create_directories(dir_ / "journals");
  }
  void StartCollector(const std::string& token) {
    std::ofstream(dir_ / "journal.yaml") << "poll_interval: 50ms\n"
                                         << credentials_.CollectorIngest(token);
    RestartCollector();
  }
  void RestartCollector() {
    collector_ = std::make_unique<JournalProcess>(dir_, daemon_->ingest_address(), log_path());
    ASSERT_TRUE(collector_->Start()) << Log();
  }
  void Append(const std::string& text) const {
    std::ofstream(dir_ / "journals" / "a.csv", std::ios::app | std::ios::binary) << text;
  }

  double Daemon(const std::string& result) const {
    return SampleValue(
        HttpGet(daemon_->http_base() + "/metrics").body,
        R"(atmwatch_ingest_events_total{kind="transaction",result=")" + result + "\"}");
  }
  bool DaemonAccepted(double expected) const {
    return Eventually([&] { return Daemon("accepted") == expected; }, 20s, 50ms);
  }
  bool Refused(double at_least) const {
    return Eventually(
        [&] {
          return collector_->Metric(
                     R"(atmwatch_collector_daemon_refusals_total{collector="journal"})") >=
                 at_least;
        },
        10s, 50ms);
  }
  bool StateHasPendingRound() const { return PendingRoundIn(dir_); }
  std::string log_path() const { return (dir_ / "journal.log").string(); }
  std::string Log() const { return ReadFile(log_path()); }

  CollectorCredentials credentials_{"journal-e2e"};
  std::unique_ptr<DaemonProcess> daemon_;
  fs::path dir_;
  std::unique_ptr<JournalProcess> collector_;
};

TEST_F(JournalTlsE2eTest, CertificateBoundSourceDeliversOverMutualTlsFromTheFirstStart) {
  StartDaemon(credentials_.CertBinding());
  Append(kHeader + Withdrawals(40));
  StartCollector(/*token=*/"");
  ASSERT_TRUE(DaemonAccepted(40)) << Daemon("accepted") << "\n" << Log();
  EXPECT_EQ(collector_->Metric(
                R"(atmwatch_collector_daemon_events_total{collector="journal",result="accepted"})"),
            40);
  EXPECT_EQ(collector_->Metric(R"(atmwatch_collector_daemon_refusals_total{collector="journal"})"),
            0);
  EXPECT_NE(Log().find("over TLS with a client certificate"), std::string::npos) << Log();
  EXPECT_EQ(collector_->Stop(SIGTERM, 5s), 0) << Log();
}

TEST_F(JournalTlsE2eTest, RefusedTokenKeepsTheOffsetsUntilTheDaemonIsFixedThenEveryLineOnce) {
  const std::string daemons_token = "the-daemons-token";
  const std::string collectors_token = "the-collectors-token";
  StartDaemon(CollectorCredentials::TokenBinding(daemons_token));
  Append(kHeader + Withdrawals(30));
  StartCollector(collectors_token);

  // Refused at the first question (where does this source start?).
  ASSERT_TRUE(Refused(2)) << Log();
  EXPECT_EQ(Daemon("accepted"), 0);
  EXPECT_FALSE(fs::exists(dir_ / "journal.state"));
  ASSERT_TRUE(
      ReloadDaemon(*daemon_, DaemonConfig(CollectorCredentials::TokenBinding(collectors_token))))
      << daemon_->log();
  ASSERT_TRUE(DaemonAccepted(30)) << Log();

  // The binding moves back to a token the collector does not have: the next
  // round is refused on the open connection and stays pending.
  ASSERT_TRUE(
      ReloadDaemon(*daemon_, DaemonConfig(CollectorCredentials::TokenBinding(daemons_token))))
      << daemon_->log();
  const double refused_before =
      collector_->Metric(R"(atmwatch_collector_daemon_refusals_total{collector="journal"})");
  Append(Withdrawals(20));
  ASSERT_TRUE(Refused(refused_before + 2)) << Log();
  EXPECT_EQ(Daemon("accepted"), 30);
  EXPECT_TRUE(StateHasPendingRound());
  EXPECT_GT(collector_->Metric("atmwatch_journal_bytes_behind"), 0);

  // A restart meanwhile keeps the round: it is read back and refused again.
  ASSERT_EQ(collector_->Stop(SIGTERM, 5s), 0) << Log();
  EXPECT_TRUE(StateHasPendingRound());
  RestartCollector();
  ASSERT_TRUE(Refused(1)) << Log();
  EXPECT_EQ(Daemon("accepted"), 30);

  ASSERT_TRUE(
      ReloadDaemon(*daemon_, DaemonConfig(CollectorCredentials::TokenBinding(collectors_token))))
      << daemon_->log();
  ASSERT_TRUE(DaemonAccepted(50)) << Log();
  EXPECT_TRUE(Eventually([&] { return !StateHasPendingRound(); }, 5s, 20ms));
  EXPECT_EQ(collector_->Metric("atmwatch_journal_bytes_behind"), 0);
  EXPECT_EQ(Daemon("duplicate"), 0);
  EXPECT_EQ(collector_->Metric("atmwatch_journal_send_failures_total"), 0);

  // One line per refusal (two in the first run, one in the second) and per
  // recovery, however many attempts each took.
  const std::string log = Log();
  EXPECT_EQ(Occurrences(log, kRefusalLine), 3) << log;
  EXPECT_EQ(Occurrences(log, kRecoveryLine), 2) << log;
  EXPECT_EQ(collector_->Stop(SIGTERM, 5s), 0) << log;
}

// The token file is read again for each connection: replacing it after a
// refusal lets the running collector in, with no restart and nothing lost.
TEST_F(JournalTlsE2eTest, RotatedTokenFileIsTakenWithoutARestart) {
  const std::string daemons_token = "the-rotated-token";
  StartDaemon(CollectorCredentials::TokenBinding(daemons_token));
  Append(kHeader + Withdrawals(25));
  StartCollector("the-old-token");
  ASSERT_TRUE(Refused(2)) << Log();
  EXPECT_EQ(Daemon("accepted"), 0);

  {
    // Written aside and renamed, as a deployment tool would, so the
    // collector never reads half a token.
    const std::string staged = credentials_.token_file() + ".new";
    std::ofstream(staged) << daemons_token << "\n";
    fs::rename(staged, credentials_.token_file());
  }
  ASSERT_TRUE(DaemonAccepted(25)) << Log();
  EXPECT_EQ(Daemon("duplicate"), 0);
  EXPECT_NE(Log().find(kRecoveryLine), std::string::npos) << Log();
  EXPECT_EQ(collector_->Stop(SIGTERM, 5s), 0) << Log();
}

}  // namespace
}  // namespace atmwatch::testing
