// atmwatch-journal end to end: the real collector tails CSV journals in a
// temporary directory and forwards to a real atmwatchd, all on 127.0.0.1.
// Lines are appended, a file is rotated (rename + new file), another is
// truncated, malformed lines are mixed in, and the collector is killed with
// SIGKILL in the middle of a large file and restarted. At the end the
// daemon's per-(atm_id, type, result) counters equal the good lines written.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <tuple>

#include "journal/journal_process.h"
#include "testing/daemon_process.h"
#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/read_file.h"

namespace atmwatch::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr char kHeader[] = "time,atm_id,type,result,amount_yen,commission_yen,issuer,host_ref\n";

class JournalE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(daemon_.Start()) << daemon_.log();
    dir_ = fs::path(daemon_.root()) / "journal-test";
    fs::create_directories(dir_ / "journals");
    // Small batches and rounds, so a kill lands in the middle of a file.
    std::ofstream(dir_ / "journal.yaml") << "poll_interval: 50ms\nbatch_events: 50\n"
                                            "max_in_flight: 4\n";
  }

  fs::path Journal(const std::string& name) const { return dir_ / "journals" / name; }
  std::string log_path() const { return (dir_ / "journal.log").string(); }
  std::string Log() const { return ReadFile(log_path()); }

  // Good lines, each remembered in expected_ under its series.
  std::string GoodLines(int count) {
    static constexpr const char* kTypes[] = {"WITHDRAWAL", "balance_inquiry", "DEPOSIT",
                                             "Transfer"};
    static constexpr const char* kResults[] = {"APPROVED", "declined", "ERROR", "REVERSED",
                                               "APPROVED"};
    std::string text;
    for (int i = 0; i < count; ++i, ++serial_) {
      const std::string atm = "ATM" + std::to_string(9000 + serial_ % 7);
      const std::string type = kTypes[serial_ % 4];
      const std::string result = kResults[serial_ % 5];
      ++expected_[{atm, Lower(type), Lower(result)}];  // the daemon's label values
      const bool quoted = serial_ % 3 == 0;
      text += LocalTime() + "," + (quoted ? "\"" + atm + "\"" : atm) + "," + type + "," + result +
              "," + (type == "balance_inquiry" ? "0" : "10000") + "," +
              (serial_ % 2 == 0 ? "110" : "") + ",0005,\"ref, " + std::to_string(serial_) + "\"" +
              (serial_ % 4 == 0 ? "\r\n" : "\n");
    }
    return text;
  }

  static std::string Lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(c));
    return text;
  }

  static std::string LocalTime() {
    const std::time_t t = std::time(nullptr) - 600 + 9 * 3600;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S+09:00", &tm);
    return buffer;
  }

  static void Append(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::app | std::ios::binary) << text;
  }

  bool StateHasPendingRound() const { return PendingRoundIn(dir_); }

  double DaemonDuplicates() const {
    return SampleValue(HttpGet(daemon_.http_base() + "/metrics").body,
                       R"(atmwatch_ingest_events_total{kind="transaction",result="duplicate"})");
  }

  double DaemonAccepted() const {
    return SampleValue(HttpGet(daemon_.http_base() + "/metrics").body,
                       R"(atmwatch_ingest_events_total{kind="transaction",result="accepted"})");
  }
  double ExpectedTotal() const {
    double total = 0;
    for (const auto& [series, n] : expected_) total += n;
    return total;
  }
  bool CaughtUp(std::chrono::milliseconds timeout = 30s) const {
    return Eventually([&] { return DaemonAccepted() == ExpectedTotal(); }, timeout, 20ms);
  }

  DaemonProcess daemon_{"ingest: {max_unknown_atms: 100}\n"};
  fs::path dir_;
  int serial_ = 0;
  std::map<std::tuple<std::string, std::string, std::string>, int> expected_;
};

TEST_F(JournalE2eTest, EveryGoodLineIsCountedOnceThroughRotationTruncationAndAKill) {
  Append(Journal("a.csv"), kHeader + GoodLines(120) +
                               "2026-11-25T09:03:11Z,ATM9000,LOAN,APPROVED,1,,,\n" + GoodLines(30) +
                               "yesterday,ATM9000,DEPOSIT,APPROVED,1,,,\n" +
                               "2026-11-25T09:03:11Z,ATM9000,DEPOSIT\n");
  Append(Journal("b.csv"), kHeader + GoodLines(100));
  auto collector = std::make_unique<JournalProcess>(dir_, daemon_.ingest_address(), log_path());
  ASSERT_TRUE(collector->Start()) << Log();
  ASSERT_TRUE(CaughtUp()) << DaemonAccepted() << " of " << ExpectedTotal() << "\n" << Log();

  // Appends, one of them first written without its newline.
  const std::string more = GoodLines(1);
  const double read_before = collector->Metric("atmwatch_journal_lines_read_total");
  Append(Journal("a.csv"), GoodLines(80) + more.substr(0, 20));
  // The rest of the line only once the collector has read up to its start.
  ASSERT_TRUE(Eventually(
      [&] { return collector->Metric("atmwatch_journal_lines_read_total") >= read_before + 80; },
      10s, 20ms))
      << Log();
  Append(Journal("a.csv"), more.substr(20) + GoodLines(40));
  ASSERT_TRUE(CaughtUp()) << Log();

  // Rotation: lines written just before the rename belong to the old inode.
  Append(Journal("a.csv"), GoodLines(25));
  fs::rename(Journal("a.csv"), dir_ / "journals" / "a.csv.1");
  Append(Journal("a.csv"), kHeader + GoodLines(60));
  // Truncation of b.csv, rewritten with fewer bytes than were read.
  {
    std::ofstream truncate(Journal("b.csv"), std::ios::trunc | std::ios::binary);
    truncate << kHeader << GoodLines(20) << "2026-11-25T09:03:11Z,ATM9001,,APPROVED,1,,,\n";
  }
  ASSERT_TRUE(CaughtUp()) << Log();
  EXPECT_TRUE(Eventually([&] { return collector->Metric("atmwatch_journal_rotations_total") == 1; },
                         5s, 20ms));
  EXPECT_EQ(collector->Metric("atmwatch_journal_truncations_total"), 1);
  EXPECT_EQ(collector->Metric(R"(atmwatch_journal_malformed_lines_total{reason="bad_type"})"), 2);
  EXPECT_EQ(collector->Metric(R"(atmwatch_journal_malformed_lines_total{reason="bad_time"})"), 1);
  EXPECT_EQ(
      collector->Metric(R"(atmwatch_journal_malformed_lines_total{reason="wrong_field_count"})"),
      1);
  EXPECT_EQ(collector->Metric(R"(atmwatch_journal_bytes_behind)"), 0);

  // A large file, and SIGKILLs while it is being read, until one lands after
  // the daemon applied part of a round the collector had not yet recorded as
  // acknowledged: the restart resends that round under the same seqs, and
  // the daemon counts the resent part as duplicates.
  Append(Journal("c.csv"), kHeader + GoodLines(60000));
  bool resent_duplicates = false;
  for (int attempt = 0; attempt < 10 && !resent_duplicates; ++attempt) {
    // A collector that read everything before the kill has no round left
    // to resend: give it more to read.
    if (DaemonAccepted() == ExpectedTotal()) Append(Journal("c.csv"), GoodLines(60000));
    ASSERT_TRUE(Eventually([&] { return StateHasPendingRound(); }, 10s, 1ms)) << Log();
    // Not a wait: a kill a little later each attempt, to land inside a round.
    std::this_thread::sleep_for(std::chrono::milliseconds(2 + 3 * attempt));
    collector->Stop(SIGKILL, 2s);
    collector = std::make_unique<JournalProcess>(dir_, daemon_.ingest_address(), log_path());
    ASSERT_TRUE(collector->Start()) << Log();
    resent_duplicates = Eventually([&] { return DaemonDuplicates() > 0; }, 1s, 20ms);
  }
  EXPECT_TRUE(resent_duplicates) << "no kill landed inside a round";
  Append(Journal("c.csv"), GoodLines(10));
  ASSERT_TRUE(CaughtUp(60s)) << DaemonAccepted() << " of " << ExpectedTotal() << "\n" << Log();
  // The collector at rest: every line read, no round waiting for its ack,
  // so nothing more is on its way to be counted twice.
  ASSERT_TRUE(Eventually(
      [&] {
        return !StateHasPendingRound() && collector->Metric("atmwatch_journal_bytes_behind") == 0;
      },
      10s, 20ms))
      << Log();

  const std::string exposition = HttpGet(daemon_.http_base() + "/metrics").body;
  for (const auto& [series, n] : expected_) {
    const auto& [atm, type, result] = series;
    const std::string name = "atmwatch_atm_transactions_total{atm_id=\"" + atm + "\",type=\"" +
                             type + "\",result=\"" + result + "\"}";
    EXPECT_EQ(SampleValue(exposition, name), n) << name;
  }
  EXPECT_EQ(DaemonAccepted(), ExpectedTotal());

  EXPECT_EQ(collector->Stop(SIGTERM, 5s), 0) << Log();
  EXPECT_TRUE(fs::exists(dir_ / "journal.state"));
}

TEST_F(JournalE2eTest, MetricsAddressInUseExitsTwoNamingIt) {
  const std::string taken = daemon_.http_base().substr(7);  // the daemon's HTTP port
  JournalProcess collector(dir_, daemon_.ingest_address(), log_path(), std::stoi(taken.substr(10)));
  collector.Spawn();
  EXPECT_EQ(collector.Stop(0, 5s), 2) << Log();
  EXPECT_NE(Log().find("cannot serve metrics on " + taken), std::string::npos) << Log();
}

}  // namespace
}  // namespace atmwatch::testing
