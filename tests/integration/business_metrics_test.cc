// Per-ATM and business metrics of a real atmwatchd after a small hand-made
// event set, against figures computed here from the same set.

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "atmwatch/v1/events.pb.h"
#include "client/ingest_client.h"
#include "testing/daemon_process.h"
#include "testing/http_fetch.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

using v1::AtmTransaction;

constexpr int64_t kFlatFee = 150;
constexpr int64_t kPerAtmMonthlyYen = 300'000;
constexpr int64_t kFixedMonthlyYen = 1'000'000;
constexpr int64_t kJapanOffsetMs = 9 * 3'600'000;
constexpr int64_t kDayMs = 86'400'000;

const std::string kConfig =
    "fees: {bands: [], default_yen: 150}\n"
    "costs: {per_atm_monthly_yen: 300000, fixed_monthly_yen: 1000000}\n"
    "atms:\n"
    "  - {id: ATM0001, site: \"Parlor A\"}\n"
    "  - {id: ATM0002, site: \"Parlor B\"}\n"
    "  - {id: ATM0003, site: \"Shop C\"}\n";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t JapanDay(int64_t unix_ms) { return (unix_ms + kJapanOffsetMs) / kDayMs; }

struct Sent {
  std::string atm;
  int64_t time_unix_ms;
  AtmTransaction::Result result;
  std::optional<int64_t> commission_yen;
  std::string issuer;
};

// What the daemon should say about one ATM, computed from the events sent.
struct Expected {
  std::map<AtmTransaction::Result, int> withdrawals;
  int64_t earned_yen = 0;
  int64_t reversed_yen = 0;
  int today = 0;
  int64_t last_ms = 0;
  std::map<std::string, int> failed;  // by cause, both once the ATM has had an attempt
};

// The cause label of a failed withdrawal; empty for the others.
std::string CauseOf(AtmTransaction::Result result) {
  if (result == AtmTransaction::ERROR) return "issuer_error";
  if (result == AtmTransaction::DECLINED) return "declined";
  return "";
}

int64_t CommissionOf(const Sent& event) {
  const int64_t fee = event.commission_yen.value_or(kFlatFee);
  if (event.result == AtmTransaction::APPROVED) return fee;
  if (event.result == AtmTransaction::REVERSED) return -fee;
  return event.commission_yen.value_or(0);
}

v1::Envelope ToEnvelope(const Sent& sent) {
  v1::Envelope event;
  event.set_time_unix_ms(sent.time_unix_ms);
  auto* tx = event.mutable_transaction();
  tx->set_atm_id(sent.atm);
  tx->set_type(AtmTransaction::WITHDRAWAL);
  tx->set_result(sent.result);
  tx->set_amount_yen(sent.result == AtmTransaction::APPROVED ? 20000 : 0);
  tx->set_issuer(sent.issuer);
  if (sent.commission_yen) tx->set_commission_yen(*sent.commission_yen);
  return event;
}

std::string Series(const std::string& name, const std::string& labels) {
  return name + "{" + labels + "}";
}

TEST(BusinessMetricsTest, PerAtmSeriesMatchTheEventsSent) {
  DaemonProcess daemon(kConfig);
  ASSERT_TRUE(daemon.Start()) << daemon.log();

  const int64_t now = NowMs();
  // Today's events sit just before now; one older event shows that only the
  // local day counts in *_today while counters keep everything.
  const std::vector<Sent> sent = {
      {"ATM0001", now - 50'000, AtmTransaction::APPROVED, std::nullopt, "0005"},
      {"ATM0001", now - 40'000, AtmTransaction::APPROVED, 99, "0005"},
      {"ATM0001", now - 35'000, AtmTransaction::APPROVED, std::nullopt, "0009"},
      {"ATM0001", now - 30'000, AtmTransaction::DECLINED, std::nullopt, "0009"},
      {"ATM0001", now - 20'000, AtmTransaction::REVERSED, std::nullopt, "0005"},
      {"ATM0002", now - 3 * kDayMs, AtmTransaction::APPROVED, std::nullopt, "0005"},
      {"ATM0002", now - 15'000, AtmTransaction::APPROVED, 120, "0005"},
      {"ATM0002", now - 10'000, AtmTransaction::ERROR, std::nullopt, "0005"},
      {"ATM0002", now - 5'000, AtmTransaction::ERROR, std::nullopt, "0005"},
  };
  const int64_t other_revenue_yen = 5'000;
  client::ClientOptions options;
  options.address = daemon.ingest_address();
  options.source_id = "business-metrics";
  client::IngestClient client(options);
  for (const Sent& event : sent) ASSERT_TRUE(client.Add(ToEnvelope(event)).ok());
  v1::Envelope ledger;
  ledger.set_time_unix_ms(now - 1000);
  ledger.mutable_ledger()->set_category(v1::LedgerEntry::OTHER_REVENUE);
  ledger.mutable_ledger()->set_amount_yen(other_revenue_yen);
  const auto date =
      std::chrono::year_month_day(std::chrono::sys_days(std::chrono::days(JapanDay(now))));
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  ledger.mutable_ledger()->set_booking_date(text);
  ASSERT_TRUE(client.Add(ledger).ok());
  ASSERT_TRUE(client.Flush().ok());
  ASSERT_EQ(client.totals().accepted, sent.size() + 1);

  const HttpResult scraped = HttpGet(daemon.http_base() + "/metrics");
  ASSERT_EQ(scraped.status, 200);
  const int64_t today = JapanDay(NowMs());
  if (today != JapanDay(now)) GTEST_SKIP() << "ran across local midnight; the day changed";

  std::map<std::string, Expected> expected = {{"ATM0001", {}}, {"ATM0002", {}}, {"ATM0003", {}}};
  int64_t revenue_today = other_revenue_yen;
  // Over the fleet: attempts by issuer, failures by (issuer, cause).
  std::map<std::string, int> issuer_attempts;
  std::map<std::pair<std::string, std::string>, int> issuer_failed;
  for (const Sent& event : sent) {
    Expected& atm = expected[event.atm];
    ++atm.withdrawals[event.result];
    const int64_t commission = CommissionOf(event);
    (commission >= 0 ? atm.earned_yen : atm.reversed_yen) += std::llabs(commission);
    const bool is_today = JapanDay(event.time_unix_ms) == today;
    atm.today += is_today ? 1 : 0;
    revenue_today += is_today ? commission : 0;
    atm.last_ms = std::max(atm.last_ms, event.time_unix_ms);
    if (event.result != AtmTransaction::REVERSED) {
      ++issuer_attempts[event.issuer];
      for (const char* cause : {"issuer_error", "declined"}) {
        const int failed = cause == CauseOf(event.result) ? 1 : 0;
        atm.failed[cause] += failed;
        issuer_failed[{event.issuer, cause}] += failed;
      }
    }
  }

  const std::string& text_body = scraped.body;
  const std::pair<AtmTransaction::Result, const char*> results[] = {
      {AtmTransaction::APPROVED, "approved"},
      {AtmTransaction::DECLINED, "declined"},
      {AtmTransaction::ERROR, "error"},
      {AtmTransaction::REVERSED, "reversed"}};
  for (const auto& [atm, want] : expected) {
    const std::string id = "atm_id=\"" + atm + "\"";
    for (const auto& [result, name] : results) {
      const auto it = want.withdrawals.find(result);
      EXPECT_EQ(SampleValue(text_body, Series("atmwatch_atm_transactions_total",
                                              id + ",type=\"withdrawal\",result=\"" + name + "\"")),
                it == want.withdrawals.end() ? 0 : it->second)
          << atm << " " << name;
    }
    EXPECT_EQ(SampleValue(text_body, Series("atmwatch_atm_commission_yen_total", id)),
              want.earned_yen)
        << atm;
    EXPECT_EQ(SampleValue(text_body, Series("atmwatch_atm_commission_reversed_yen_total", id)),
              want.reversed_yen)
        << atm;
    EXPECT_EQ(SampleValue(text_body, Series("atmwatch_atm_transactions_today", id)), want.today)
        << atm;
    EXPECT_DOUBLE_EQ(
        SampleValue(text_body, Series("atmwatch_atm_last_transaction_timestamp_seconds", id)),
        static_cast<double>(want.last_ms) / 1000.0)
        << atm;
    for (const auto& [cause, count] : want.failed) {
      EXPECT_EQ(SampleValue(text_body, Series("atmwatch_atm_withdrawals_failed_total",
                                              id + ",cause=\"" + cause + "\"")),
                count)
          << atm << " " << cause;
    }
  }
  for (const auto& [issuer, attempts] : issuer_attempts) {
    EXPECT_EQ(SampleValue(text_body,
                          Series("atmwatch_issuer_withdrawals_total", "issuer=\"" + issuer + "\"")),
              attempts)
        << issuer;
  }
  for (const auto& [key, count] : issuer_failed) {
    EXPECT_EQ(
        SampleValue(text_body, Series("atmwatch_issuer_withdrawals_failed_total",
                                      "issuer=\"" + key.first + "\",cause=\"" + key.second + "\"")),
        count)
        << key.first << " " << key.second;
  }

  // The day's model costs: two ATMs in service (ATM0003 has no transaction
  // yet) and the fixed costs, monthly amounts as x 12 / 365.
  const double day_costs =
      std::round(kPerAtmMonthlyYen * 2 * 12 / 365.0) + std::round(kFixedMonthlyYen * 12 / 365.0);
  EXPECT_NEAR(SampleValue(text_body, "atmwatch_breakeven_progress_ratio{window=\"day\"}"),
              static_cast<double>(revenue_today) / day_costs, 1e-9);
  EXPECT_EQ(SampleValue(text_body, "atmwatch_breakeven_projection_within_horizon"), 0);
  EXPECT_EQ(text_body.find("NaN"), std::string::npos);

  if (HaveTool("promtool")) {
    const ToolResult check = RunTool({"promtool", "check", "metrics"}, text_body);
    EXPECT_EQ(check.exit_code, 0) << check.output;
  }

  // Counters come back from the durable state after a restart.
  ASSERT_EQ(daemon.Stop(SIGTERM), 0) << daemon.log();
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const std::string restarted = HttpGet(daemon.http_base() + "/metrics").body;
  EXPECT_EQ(SampleValue(restarted, "atmwatch_atm_commission_yen_total{atm_id=\"ATM0001\"}"),
            expected["ATM0001"].earned_yen);
  EXPECT_EQ(daemon.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace atmwatch::testing
