// The availabilities end to end: status and line events of two ATMs at
// sites with different hours, streamed through the TCP ingest port, give
// exact counters on /metrics, the same after a SIGTERM and after a SIGKILL
// restart (the log replayed).
//
// The events are of a past holiday and the sites open on holidays only, so
// the open stretch since the last event adds no business seconds whenever
// the test runs, and the figures are fixed.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "client/ingest_client.h"
#include "event_stream_client.h"
#include "testing/daemon_process.h"
#include "testing/http_fetch.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

using namespace std::chrono;
using v1::AtmStatus;
using v1::LineEvent;

constexpr std::int64_t kMinute = 60'000;

// PARLOR1 talks over line L1; SHOP1 has no line.
const char* kConfig =
    "ingest: {max_event_age: 0}\n"
    "holidays: [2020-01-01]\n"
    "sites:\n"
    "  parlor: {hours: {all: closed, holiday: \"10:00-12:00\"}}\n"
    "  shop: {hours: {all: closed, holiday: \"09:00-11:00\"}}\n"
    "  unused: {hours: {all: \"00:00-24:00\"}}\n"
    "atms:\n"
    "  - {id: PARLOR1, site: parlor, line_id: L1, carrier: docomo}\n"
    "  - {id: SHOP1, site: shop}\n"
    "wal: {snapshot_every_records: 100000000, snapshot_interval: 1h}\n";

// UTC milliseconds of 2020-01-01 (a holiday, configured) at a Japan-local time.
std::int64_t NewYear(int hour, int minute = 0) {
  return (sys_days(2020y / January / 1).time_since_epoch() + hours(hour - 9) + minutes(minute)) /
         milliseconds(1);
}

v1::Envelope Status(const std::string& atm, std::int64_t time, AtmStatus::State state,
                    bool heartbeat = false) {
  v1::Envelope e;
  e.set_time_unix_ms(time);
  e.mutable_status()->set_atm_id(atm);
  e.mutable_status()->set_state(state);
  e.mutable_status()->set_heartbeat(heartbeat);
  return e;
}

v1::Envelope Heartbeat(const std::string& atm, std::int64_t time) {
  return Status(atm, time, AtmStatus::STATE_UNSPECIFIED, true);
}

v1::Envelope Line(std::int64_t time, LineEvent::Kind kind, const std::string& session) {
  v1::Envelope e;
  e.set_time_unix_ms(time);
  auto* line = e.mutable_line();
  line->set_line_id("L1");
  line->set_carrier("docomo");
  line->set_kind(kind);
  line->set_session_id(session);
  return e;
}

std::string Series(const std::string& atm, const std::string& availability) {
  return "atmwatch_atm_available_seconds_total{atm_id=\"" + atm + "\",availability=\"" +
         availability + "\"}";
}

void ExpectFigures(const std::string& metrics) {
  // PARLOR1, open 10:00-12:00: its line is attached only 10:30-10:40.
  EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_business_seconds_total{atm_id=\"PARLOR1\"}"), 7200);
  EXPECT_EQ(SampleValue(metrics, Series("PARLOR1", "hardware")), 7200);
  EXPECT_EQ(SampleValue(metrics, Series("PARLOR1", "comms")), 6600);
  EXPECT_EQ(SampleValue(metrics, Series("PARLOR1", "cardholder")), 6600);
  // SHOP1, open 09:00-11:00: out of service 10:00-10:20; no line, heard from.
  EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_business_seconds_total{atm_id=\"SHOP1\"}"), 7200);
  EXPECT_EQ(SampleValue(metrics, Series("SHOP1", "hardware")), 6000);
  EXPECT_EQ(SampleValue(metrics, Series("SHOP1", "comms")), 7200);
  EXPECT_EQ(SampleValue(metrics, Series("SHOP1", "cardholder")), 6000);
  // Today is no configured holiday: both sites are closed.
  for (const char* atm : {"PARLOR1", "SHOP1"}) {
    const std::string label = std::string("{atm_id=\"") + atm + "\"}";
    EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_business_open" + label), 0);
    EXPECT_EQ(SampleValue(metrics, "atmwatch_atm_business_seconds_today" + label), 0);
  }
}

TEST(AvailabilityE2eTest, CountersAreExactThroughTcpAndAcrossRestarts) {
  DaemonProcess daemon(kConfig);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  client::IngestClient client(StreamingClientFor(daemon, "availability-test", 1));
  ASSERT_TRUE(client.Add(Line(NewYear(9), LineEvent::SESSION_START, "s1")).ok());
  ASSERT_TRUE(client.Add(Status("PARLOR1", NewYear(9), AtmStatus::IN_SERVICE)).ok());
  ASSERT_TRUE(client.Add(Status("SHOP1", NewYear(9), AtmStatus::IN_SERVICE)).ok());
  for (int m = 2; m <= 180; m += 2) {
    const std::int64_t t = NewYear(9) + m * kMinute;
    if (m == 60) ASSERT_TRUE(client.Add(Status("SHOP1", t, AtmStatus::OUT_OF_SERVICE)).ok());
    if (m == 80) ASSERT_TRUE(client.Add(Status("SHOP1", t, AtmStatus::IN_SERVICE)).ok());
    if (m == 90) ASSERT_TRUE(client.Add(Line(t, LineEvent::SESSION_STOP, "s1")).ok());
    if (m == 100) ASSERT_TRUE(client.Add(Line(t, LineEvent::SESSION_START, "s2")).ok());
    if (m < 90) ASSERT_TRUE(client.Add(Line(t, LineEvent::SESSION_INTERIM, "s1")).ok());
    if (m > 100) ASSERT_TRUE(client.Add(Line(t, LineEvent::SESSION_INTERIM, "s2")).ok());
    ASSERT_TRUE(client.Add(Heartbeat("PARLOR1", t)).ok());
    ASSERT_TRUE(client.Add(Heartbeat("SHOP1", t)).ok());
  }
  ASSERT_TRUE(client.Flush().ok());

  const std::string metrics = HttpGet(daemon.http_base() + "/metrics").body;
  ExpectFigures(metrics);
  if (HaveTool("promtool")) {
    const ToolResult check = RunTool({"promtool", "check", "metrics"}, metrics);
    EXPECT_EQ(check.exit_code, 0) << check.output;
  }

  ASSERT_EQ(daemon.Stop(SIGTERM), 0);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  ExpectFigures(HttpGet(daemon.http_base() + "/metrics").body);
  daemon.Stop(SIGKILL);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  ExpectFigures(HttpGet(daemon.http_base() + "/metrics").body);
  EXPECT_EQ(daemon.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace atmwatch::testing
