// Device health end to end: component reports through the TCP ingest port
// take atmwatch_atm_up to 0 while the dispenser is fatal and show in the
// component series, across a SIGKILL restart (the log replayed); a retained
// card counts by reason; `atmwatch send` takes both in JSON; a bad component
// is refused with its reason.

#include <gtest/gtest.h>
#include <signal.h>

#include <cstdint>
#include <string>

#include "client/ingest_client.h"
#include "event_stream_client.h"
#include "testing/daemon_process.h"
#include "testing/http_fetch.h"
#include "testing/test_events.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

using v1::AtmStatus;
using Component = v1::AtmStatus::Component;

constexpr std::int64_t kSecond = 1000;
constexpr const char* kUp = "atmwatch_atm_up{atm_id=\"ATM0001\"}";
constexpr const char* kDispenser =
    "atmwatch_atm_component_status{atm_id=\"ATM0001\",component=\"dispenser\"}";
constexpr const char* kDispenserSince =
    "atmwatch_atm_component_status_since_timestamp_seconds{atm_id=\"ATM0001\",component="
    "\"dispenser\"}";
constexpr const char* kPrinter =
    "atmwatch_atm_component_status{atm_id=\"ATM0001\",component=\"receipt_printer\"}";

// Snapshots only at SIGTERM, so the SIGKILL restart replays the log.
const char* kConfig =
    "atms: [{id: ATM0001, site: Parlor 1}]\n"
    "wal: {snapshot_every_records: 100000000, snapshot_interval: 1h}\n";

v1::Envelope Status(std::int64_t time_unix_ms, Component::Kind kind, Component::Severity severity,
                    AtmStatus::State state = AtmStatus::STATE_UNSPECIFIED) {
  v1::Envelope e;
  e.set_time_unix_ms(time_unix_ms);
  auto* status = e.mutable_status();
  status->set_atm_id("ATM0001");
  status->set_state(state);
  auto* component = status->add_components();
  component->set_kind(kind);
  component->set_severity(severity);
  return e;
}

v1::Envelope CardKept(std::int64_t time_unix_ms, v1::CardRetained::Reason reason) {
  v1::Envelope e;
  e.set_time_unix_ms(time_unix_ms);
  e.mutable_card_retained()->set_atm_id("ATM0001");
  e.mutable_card_retained()->set_reason(reason);
  return e;
}

TEST(DeviceE2eTest, FatalDispenserTakesTheAtmDownThroughTcpAndAcrossARestart) {
  DaemonProcess daemon(kConfig);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  // Recent enough to be within the default silence window (5 min).
  const std::int64_t start = NowMs() - 60 * kSecond;
  client::IngestClient client(StreamingClientFor(daemon, "device-test", 1));
  ASSERT_TRUE(
      client.Add(Status(start, Component::DISPENSER, Component::OK, AtmStatus::IN_SERVICE)).ok());
  ASSERT_TRUE(
      client.Add(Status(start + kSecond, Component::RECEIPT_PRINTER, Component::FATAL)).ok());
  ASSERT_TRUE(client.Flush().ok());
  std::string metrics = MetricsOf(daemon);
  // No receipt is no reason to turn customers away.
  EXPECT_EQ(SampleValue(metrics, kUp), 1);
  EXPECT_EQ(SampleValue(metrics, kDispenser), 0);
  EXPECT_EQ(SampleValue(metrics, kPrinter), 2);
  // Never reported: no series.
  EXPECT_EQ(
      SampleValue(metrics, "atmwatch_atm_component_status{atm_id=\"ATM0001\",component=\"epp\"}"),
      -1);

  ASSERT_TRUE(client.Add(Status(start + 2 * kSecond, Component::DISPENSER, Component::FATAL)).ok());
  ASSERT_TRUE(client.Add(CardKept(start + 3 * kSecond, v1::CardRetained::DEVICE_FAULT)).ok());
  ASSERT_TRUE(client.Flush().ok());
  metrics = MetricsOf(daemon);
  EXPECT_EQ(SampleValue(metrics, kUp), 0);
  EXPECT_EQ(SampleValue(metrics, kDispenser), 2);
  EXPECT_EQ(SampleValue(metrics, kDispenserSince), (start + 2 * kSecond) / 1000);
  EXPECT_EQ(SampleValue(metrics,
                        "atmwatch_atm_cards_retained_total{atm_id=\"ATM0001\",reason="
                        "\"device_fault\"}"),
            1);
  EXPECT_EQ(SampleValue(metrics,
                        "atmwatch_ingest_events_total{kind=\"card_retained\",result=\"accepted\"}"),
            1);
  if (HaveTool("promtool")) {
    const ToolResult check = RunTool({"promtool", "check", "metrics"}, metrics);
    EXPECT_EQ(check.exit_code, 0) << check.output;
  }

  daemon.Kill();
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  metrics = MetricsOf(daemon);
  EXPECT_EQ(SampleValue(metrics, kUp), 0);
  EXPECT_EQ(SampleValue(metrics, kDispenser), 2);
  EXPECT_EQ(SampleValue(metrics, kDispenserSince), (start + 2 * kSecond) / 1000);
  EXPECT_EQ(SampleValue(metrics,
                        "atmwatch_atm_cards_retained_total{atm_id=\"ATM0001\",reason="
                        "\"device_fault\"}"),
            1);

  // Repaired: up again, and so after a snapshot (SIGTERM) and restart.
  client::IngestClient after_kill(StreamingClientFor(daemon, "device-test", client.next_seq()));
  ASSERT_TRUE(
      after_kill.Add(Status(start + 4 * kSecond, Component::DISPENSER, Component::OK)).ok());
  ASSERT_TRUE(after_kill.Flush().ok());
  EXPECT_EQ(SampleValue(MetricsOf(daemon), kUp), 1);
  ASSERT_EQ(daemon.Stop(SIGTERM), 0);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  metrics = MetricsOf(daemon);
  EXPECT_EQ(SampleValue(metrics, kUp), 1);
  EXPECT_EQ(SampleValue(metrics, kDispenser), 0);
  EXPECT_EQ(SampleValue(metrics, kDispenserSince), (start + 4 * kSecond) / 1000);
}

// The JSON of `atmwatch send`: components and a retained card by their
// proto3 JSON names; a cassette number on a dispenser is refused.
TEST(DeviceE2eTest, SendTakesComponentsAndCardsInJsonAndRefusesABadCassette) {
  DaemonProcess daemon(kConfig);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const std::string now = std::to_string(NowMs());
  const std::string lines =
      R"({"timeUnixMs": ")" + now +
      R"(", "status": {"atmId": "ATM0001", "heartbeat": true, "components": [)"
      R"({"kind": "CASSETTE", "cassette": 2, "severity": "WARNING", "code": "LOW"}]}})"
      "\n"
      R"({"timeUnixMs": ")" +
      now +
      R"(", "cardRetained": {"atmId": "ATM0001", "reason": "CUSTOMER_TIMEOUT"}})"
      "\n"
      R"({"timeUnixMs": ")" +
      now +
      R"(", "status": {"atmId": "ATM0001", "components": [)"
      R"({"kind": "DISPENSER", "cassette": 1, "severity": "FATAL"}]}})"
      "\n";
  const ToolResult sent =
      RunTool({ATMWATCH_CLI_PATH, "send", "--ingest", daemon.ingest_address()}, lines);
  EXPECT_NE(sent.output.find("2 accepted, 0 duplicate, 1 rejected"), std::string::npos)
      << sent.output;
  EXPECT_NE(sent.output.find("status.components[0].cassette"), std::string::npos) << sent.output;
  const std::string metrics = MetricsOf(daemon);
  EXPECT_EQ(SampleValue(metrics,
                        "atmwatch_atm_component_status{atm_id=\"ATM0001\",component="
                        "\"cassette_2\"}"),
            1);
  EXPECT_EQ(SampleValue(metrics,
                        "atmwatch_atm_cards_retained_total{atm_id=\"ATM0001\",reason="
                        "\"customer_timeout\"}"),
            1);
  EXPECT_EQ(SampleValue(metrics,
                        "atmwatch_ingest_events_rejected_total{kind=\"status\",reason="
                        "\"bad_cassette\"}"),
            1);
  EXPECT_EQ(SampleValue(metrics, kDispenser), -1);
}

}  // namespace
}  // namespace atmwatch::testing
