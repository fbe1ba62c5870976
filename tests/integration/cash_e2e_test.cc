// The cash position end to end: cash events and withdrawals through the TCP
// ingest port give atmwatch_atm_cash_remaining_yen to the yen, across a
// SIGTERM and a SIGKILL restart; a retried batch is applied once, a count
// that differs is a discrepancy, and a bad cassette is refused with its reason.
// After a week of withdrawals at known hours and a replenishment, the
// run-dry forecast and the next visit on /metrics are those the test works
// out by hand.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "client/ingest_client.h"
#include "event_stream_client.h"
#include "testing/daemon_process.h"
#include "testing/http_fetch.h"
#include "testing/test_events.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

using v1::AtmTransaction;
using v1::CashEvent;

constexpr std::int64_t kSecond = 1000;
constexpr const char* kRemaining = "atmwatch_atm_cash_remaining_yen{atm_id=\"ATM0001\"}";

// Snapshots only at SIGTERM, so the SIGKILL restart replays the log.
const char* kConfig =
    "atms: [{id: ATM0001, site: Parlor 1}]\n"
    "wal: {snapshot_every_records: 100000000, snapshot_interval: 1h}\n";

v1::Envelope Cash(std::int64_t time_unix_ms, CashEvent::Kind kind,
                  std::initializer_list<std::pair<int, int>> cassettes, std::int64_t cost_yen = 0) {
  v1::Envelope e;
  e.set_time_unix_ms(time_unix_ms);
  auto* cash = e.mutable_cash();
  cash->set_atm_id("ATM0001");
  cash->set_kind(kind);
  for (const auto& [denomination, notes] : cassettes) {
    auto* cassette = cash->add_cassettes();
    cassette->set_denomination_yen(denomination);
    cassette->set_notes(notes);
  }
  cash->set_cost_yen(cost_yen);
  return e;
}

v1::Envelope Withdrawal(std::int64_t time_unix_ms, std::int64_t amount_yen,
                        AtmTransaction::Result result = AtmTransaction::APPROVED) {
  v1::Envelope e;
  e.set_time_unix_ms(time_unix_ms);
  auto* tx = e.mutable_transaction();
  tx->set_atm_id("ATM0001");
  tx->set_type(AtmTransaction::WITHDRAWAL);
  tx->set_result(result);
  tx->set_amount_yen(amount_yen);
  return e;
}

// The withdrawals the test sends, and the yen they leave of a known load:
// the ATM holds plenty of every note loaded, so no amount is short and the
// position is the loaded yen less the approved amounts plus the reversed.
struct Ledger {
  std::int64_t remaining_yen = 0;
  std::int64_t next_time = 0;

  v1::Envelope Take(std::int64_t amount_yen) {
    remaining_yen -= amount_yen;
    return Withdrawal(next_time += kSecond, amount_yen);
  }
  v1::Envelope GiveBack(std::int64_t amount_yen) {
    remaining_yen += amount_yen;
    return Withdrawal(next_time += kSecond, amount_yen, AtmTransaction::REVERSED);
  }
};

TEST(CashE2eTest, RemainingYenIsExactThroughTcpAndAcrossRestarts) {
  DaemonProcess daemon(kConfig);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const std::int64_t start = NowMs() - 30 * 60 * kSecond;
  Ledger ledger{.remaining_yen = 200 * 10000 + 100 * 5000 + 300 * 1000, .next_time = start};

  client::IngestClient client(StreamingClientFor(daemon, "cash-test", 1));
  // A withdrawal before the visit is of the old cassettes: not in the position.
  ASSERT_TRUE(client.Add(Withdrawal(start - kSecond, 50000)).ok());
  ASSERT_TRUE(client
                  .Add(Cash(start, CashEvent::REPLENISHMENT,
                            {{10000, 150}, {5000, 100}, {1000, 300}, {10000, 50}}, 18000))
                  .ok());
  for (std::int64_t amount : {13000, 25000, 7000, 40000, 1000}) {
    ASSERT_TRUE(client.Add(ledger.Take(amount)).ok());
  }
  ASSERT_TRUE(client.Add(ledger.GiveBack(7000)).ok());
  ASSERT_TRUE(client.Flush().ok());

  std::string metrics = MetricsOf(daemon);
  EXPECT_EQ(SampleValue(metrics, kRemaining), ledger.remaining_yen);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_cash_dispensed_yen_total{atm_id=\"ATM0001\"}"),
            86000);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_cash_returned_yen_total{atm_id=\"ATM0001\"}"), 7000);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_cash_replenishments_total{atm_id=\"ATM0001\"}"), 1);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_cash_in_transit_cost_yen_total{atm_id=\"ATM0001\"}"),
            18000);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_cash_late_events_total{atm_id=\"ATM0001\"}"), 0);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_cash_discrepancies_total{atm_id=\"ATM0001\"}"), 0);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_ingest_events_total{kind=\"cash\",result=\"accepted\"}"),
            1);
  if (HaveTool("promtool")) {
    const ToolResult check = RunTool({"promtool", "check", "metrics"}, metrics);
    EXPECT_EQ(check.exit_code, 0) << check.output;
  }

  // The last batch again, as a source that lost the ack resends it.
  v1::Batch batch;
  batch.set_source_id("cash-test");
  batch.set_seq(client.next_seq() - 1);
  *batch.add_events() = Withdrawal(ledger.next_time + kSecond, 10000);
  const HttpResult posted = HttpPost(daemon.http_base() + "/v1/events", "application/x-protobuf",
                                     batch.SerializeAsString());
  v1::Ack ack;
  ASSERT_TRUE(ack.ParseFromString(posted.body)) << posted.body;
  EXPECT_EQ(ack.duplicates(), 1u);
  EXPECT_EQ(SampleValue(MetricsOf(daemon), kRemaining), ledger.remaining_yen);

  ASSERT_EQ(daemon.Stop(SIGTERM), 0);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  EXPECT_EQ(SampleValue(MetricsOf(daemon), kRemaining), ledger.remaining_yen);

  client::IngestClient after_term(StreamingClientFor(daemon, "cash-test", client.next_seq()));
  for (std::int64_t amount : {20000, 3000, 60000}) {
    ASSERT_TRUE(after_term.Add(ledger.Take(amount)).ok());
  }
  ASSERT_TRUE(after_term.Flush().ok());
  EXPECT_EQ(SampleValue(MetricsOf(daemon), kRemaining), ledger.remaining_yen);

  daemon.Kill();
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  metrics = MetricsOf(daemon);
  EXPECT_EQ(SampleValue(metrics, kRemaining), ledger.remaining_yen);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_cash_dispensed_yen_total{atm_id=\"ATM0001\"}"),
            86000 + 83000);
}

TEST(CashE2eTest, ACountThatDiffersIsADiscrepancyAndBecomesThePosition) {
  DaemonProcess daemon(kConfig);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const std::int64_t start = NowMs() - 10 * 60 * kSecond;
  client::IngestClient client(StreamingClientFor(daemon, "cash-test", 1));
  ASSERT_TRUE(client.Add(Cash(start, CashEvent::REPLENISHMENT, {{10000, 100}}, 15000)).ok());
  ASSERT_TRUE(client.Add(Withdrawal(start + kSecond, 30000)).ok());  // 97 notes left
  ASSERT_TRUE(client.Add(Cash(start + 2 * kSecond, CashEvent::COUNT, {{10000, 97}})).ok());
  ASSERT_TRUE(client.Flush().ok());
  std::string metrics = MetricsOf(daemon);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_cash_discrepancies_total{atm_id=\"ATM0001\"}"), 0);

  ASSERT_TRUE(client.Add(Cash(start + 3 * kSecond, CashEvent::COUNT, {{10000, 95}})).ok());
  ASSERT_TRUE(client.Flush().ok());
  metrics = MetricsOf(daemon);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_cash_discrepancies_total{atm_id=\"ATM0001\"}"), 1);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_cash_discrepancy_yen_total{atm_id=\"ATM0001\"}"),
            20000);
  EXPECT_EQ(SampleValue(metrics, kRemaining), 950000);
}

TEST(CashE2eTest, ABadCassetteIsRefusedWithItsReason) {
  DaemonProcess daemon(kConfig);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  client::IngestClient client(StreamingClientFor(daemon, "cash-test", 1));
  ASSERT_TRUE(client.Add(Cash(NowMs(), CashEvent::REPLENISHMENT, {{3000, 10}})).ok());
  ASSERT_TRUE(client.Add(Cash(NowMs(), CashEvent::COUNT, {{1000, 10}}, 500)).ok());
  ASSERT_TRUE(client.Flush().ok());
  EXPECT_EQ(client.totals().rejected, 2u);
  const std::string metrics = MetricsOf(daemon);
  EXPECT_EQ(SampleValue(metrics,
                        "atmwatch_ingest_events_rejected_total{kind=\"cash\",reason="
                        "\"bad_denomination\"}"),
            1);
  EXPECT_EQ(
      SampleValue(metrics,
                  "atmwatch_ingest_events_rejected_total{kind=\"cash\",reason=\"bad_amount\"}"),
      1);
  EXPECT_EQ(SampleValue(metrics, kRemaining), -1);  // no position: no series
}

// Local days and hours at +09:00, the default zone, worked out by hand.
constexpr std::int64_t kHourMs = 3600 * kSecond;
constexpr std::int64_t kDayMs = 24 * kHourMs;
constexpr std::int64_t kOffsetMs = 9 * kHourMs;

std::int64_t LocalDay(std::int64_t unix_ms) { return (unix_ms + kOffsetMs) / kDayMs; }
std::int64_t LocalMidnight(std::int64_t day) { return day * kDayMs - kOffsetMs; }
int Weekday(std::int64_t day) { return static_cast<int>((day + 4) % 7); }  // 1970-01-01: Thursday

TEST(CashE2eTest, RunDryForecastFollowsTheWeekdayHourProfile) {
  DaemonProcess daemon(
      "atms: [{id: ATM0001, site: Parlor 1, region: kanto}]\n"
      "cash: {regions: {kanto: {visit_days: [wed], visit_time: \"07:30\"}}}\n");
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const std::int64_t now = NowMs();
  const std::int64_t today = LocalDay(now);
  // Every withdrawal at an hour half a day from now, so the demand of the
  // hour the scrape falls in is nil and the forecast does not depend on the
  // scrape's exact time.
  const int hour = static_cast<int>(((now + kOffsetMs) % kDayMs / kHourMs + 12) % 24);
  // The week before today: one weekday each, 110,000 to 170,000 yen.
  std::array<std::int64_t, 7> yen_by_weekday{};
  client::IngestClient client(StreamingClientFor(daemon, "cash-test", 1));
  for (std::int64_t back = 1; back <= 7; ++back) {
    const std::int64_t day = today - back;
    yen_by_weekday[static_cast<std::size_t>(Weekday(day))] = 100'000 + 10'000 * back;
    const std::int64_t at = LocalMidnight(day) + hour * kHourMs + 20 * 60 * kSecond;
    ASSERT_TRUE(client.Add(Withdrawal(at, 100'000)).ok());
    ASSERT_TRUE(client.Add(Withdrawal(at + kSecond, 10'000 * back)).ok());
  }
  const std::int64_t loaded_yen = 300 * 1000;
  ASSERT_TRUE(client.Add(Cash(now - kSecond, CashEvent::REPLENISHMENT, {{1000, 300}})).ok());
  ASSERT_TRUE(client.Flush().ok());

  // Each day's hour takes its weekday's yen, evenly within the hour.
  std::int64_t expected_ms = -1;
  std::int64_t left = loaded_yen;
  for (std::int64_t day = today; expected_ms < 0; ++day) {
    const std::int64_t start = LocalMidnight(day) + hour * kHourMs;
    if (start + kHourMs <= now) continue;
    const std::int64_t yen = yen_by_weekday[static_cast<std::size_t>(Weekday(day))];
    if (yen > left) {
      expected_ms = start + left * kHourMs / yen;
    } else {
      left -= yen;
    }
  }
  std::int64_t visit_ms = LocalMidnight(today) + 7 * kHourMs + 30 * 60 * kSecond;
  while (Weekday(LocalDay(visit_ms)) != 3 || visit_ms <= now) visit_ms += kDayMs;

  const std::string metrics = MetricsOf(daemon);
  EXPECT_NEAR(
      SampleValue(metrics, "atmwatch_atm_cash_out_forecast_timestamp_seconds{atm_id=\"ATM0001\"}"),
      static_cast<double>(expected_ms) / 1000, 1.0);
  EXPECT_EQ(
      SampleValue(metrics, "atmwatch_atm_cash_next_visit_timestamp_seconds{atm_id=\"ATM0001\"}"),
      static_cast<double>(visit_ms) / 1000);
  // The visit may cut an hour of demand: its part before the visit.
  double needed_yen = 0;
  for (std::int64_t day = today; LocalMidnight(day) < visit_ms; ++day) {
    const std::int64_t start = std::max(LocalMidnight(day) + hour * kHourMs, now);
    const std::int64_t end = std::min(LocalMidnight(day) + (hour + 1) * kHourMs, visit_ms);
    if (end <= start) continue;
    needed_yen += static_cast<double>(yen_by_weekday[static_cast<std::size_t>(Weekday(day))]) *
                  static_cast<double>(end - start) / kHourMs;
  }
  EXPECT_NEAR(SampleValue(metrics, "atmwatch_atm_cash_needed_until_visit_yen{atm_id=\"ATM0001\"}"),
              needed_yen, 1.0);
  if (HaveTool("promtool")) {
    const ToolResult check = RunTool({"promtool", "check", "metrics"}, metrics);
    EXPECT_EQ(check.exit_code, 0) << check.output;
  }
}

}  // namespace
}  // namespace atmwatch::testing
