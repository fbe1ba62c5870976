// atmwatch-radius end to end: the real radclient (Debian freeradius-utils)
// sends accounting to the real collector, which forwards to a real atmwatchd,
// all on 127.0.0.1. The checks are what radclient hears back, the
// collector's /metrics, and the daemon's /metrics: accepted line events and,
// for lines bound to ATMs in the daemon's inventory, their state and bytes.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "radius/radius_collector_process.h"
#include "testing/daemon_process.h"
#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/picked_port.h"
#include "testing/temp_dir.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kSecret[] = "testing123";

std::string Session(const std::string& status, const std::string& line, const std::string& session,
                    const std::string& more = "") {
  return "Acct-Status-Type = " + status + "\nAcct-Session-Id = \"" + session +
         "\"\nCalling-Station-Id = \"" + line + "\"\nNAS-Identifier = \"docomo-ggsn1\"\n" + more;
}

std::string Octets(int in, int out) {
  return "Acct-Input-Octets = " + std::to_string(in) +
         "\nAcct-Output-Octets = " + std::to_string(out) + "\n";
}

std::string Config(const std::string& client = "127.0.0.1") {
  return "clients:\n  - {address: " + client + ", secret: " + kSecret +
         "}\nnas_carriers: {docomo-ggsn1: docomo}\n";
}

class RadclientE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveTool("radclient")) GTEST_SKIP() << "radclient (Debian freeradius-utils) is missing";
    ASSERT_TRUE(daemon_.Start()) << daemon_.log();
  }

  void StartCollector(const std::string& config) {
    collector_ = std::make_unique<RadiusCollectorProcess>(daemon_.ingest_address(), config);
    ASSERT_TRUE(collector_->Start()) << collector_->log();
  }

  double Collector(const std::string& series) const { return collector_->Metric(series); }
  double DaemonLinesAccepted() const {
    return SampleValue(HttpGet(daemon_.http_base() + "/metrics").body,
                       R"(atmwatch_ingest_events_total{kind="line",result="accepted"})");
  }
  RadclientReply Send(const std::string& attributes, const std::string& secret = kSecret,
                      int tries = 1) {
    return SendAccounting(collector_->address(), secret, attributes, tries);
  }

  DaemonProcess daemon_;
  std::unique_ptr<RadiusCollectorProcess> collector_;
};

TEST_F(RadclientE2eTest, GoodSecretsAreAnsweredAfterTheDaemonAcknowledgedAndBadOnesDropped) {
  StartCollector(Config());
  for (const std::string line : {"819000000001", "819000000002", "819000000003"}) {
    const std::string session = "S-" + line;
    EXPECT_TRUE(Send(Session("Start", line, session)).answered);
    for (int i = 1; i <= 3; ++i) {
      EXPECT_TRUE(
          Send(Session("Interim-Update", line, session, Octets(i * 100, i * 1000))).answered);
    }
    const RadclientReply stop = Send(Session(
        "Stop", line, session, Octets(400, 4000) + "Acct-Terminate-Cause = User-Request\n"));
    EXPECT_TRUE(stop.answered) << stop.output;
  }
  const RadclientReply forged = Send(Session("Start", "819000000009", "S-9"), "not-the-secret");
  EXPECT_FALSE(forged.answered) << forged.output;

  EXPECT_EQ(Collector(R"(atmwatch_radius_requests_total{status_type="start"})"), 3);
  EXPECT_EQ(Collector(R"(atmwatch_radius_requests_total{status_type="interim_update"})"), 9);
  EXPECT_EQ(Collector(R"(atmwatch_radius_requests_total{status_type="stop"})"), 3);
  EXPECT_EQ(Collector("atmwatch_radius_responses_total"), 15);
  EXPECT_EQ(Collector(R"(atmwatch_radius_dropped_requests_total{reason="bad_authenticator"})"), 1);
  EXPECT_EQ(
      Collector(R"(atmwatch_collector_daemon_events_total{collector="radius",result="accepted"})"),
      15);
  EXPECT_EQ(Collector("atmwatch_radius_forward_latency_seconds_count"), 15);
  EXPECT_EQ(Collector("atmwatch_radius_queue_events"), 0);
  EXPECT_EQ(DaemonLinesAccepted(), 15);
  EXPECT_EQ(collector_->Stop(SIGTERM, 5s), 0) << collector_->log();
}

TEST(RadclientDaemonLinesTest, DaemonMetricsShowTheBoundLinesStateAndBytesExactly) {
  if (!HaveTool("radclient")) GTEST_SKIP() << "radclient (Debian freeradius-utils) is missing";
  DaemonProcess daemon(R"(
atms:
  - {id: ATM0001, line_id: "819000000001", carrier: docomo}
  - {id: ATM0002, line_id: "819000000002", carrier: docomo}
targets: {mvno_lines: 100000}
)");
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  RadiusCollectorProcess collector(daemon.ingest_address(), Config());
  ASSERT_TRUE(collector.Start()) << collector.log();
  const auto send = [&](const std::string& attributes) {
    const RadclientReply reply = SendAccounting(collector.address(), kSecret, attributes);
    EXPECT_TRUE(reply.answered) << reply.output;
  };
  // Two ATM-bound lines: Start, three Interim-Updates, Stop. Acct-Input-Octets
  // is what the line sent (bytes out), Acct-Output-Octets what it received.
  for (int n : {1, 2}) {
    const std::string line = "81900000000" + std::to_string(n);
    const std::string session = "S-" + line;
    send(Session("Start", line, session));
    for (int i = 1; i <= 3; ++i) {
      send(Session("Interim-Update", line, session, Octets(n * i * 100, n * i * 1000)));
    }
    send(Session("Stop", line, session,
                 Octets(n * 400, n * 4000) + "Acct-Terminate-Cause = User-Request\n"));
  }
  // A line no ATM uses, still in session: counted per carrier, no own series.
  send(Session("Start", "819000000003", "S-3"));
  send(Session("Interim-Update", "819000000003", "S-3", Octets(50, 500)));

  const std::string metrics = HttpGet(daemon.http_base() + "/metrics").body;
  const auto value = [&](const std::string& series) { return SampleValue(metrics, series); };
  EXPECT_EQ(value(R"(atmwatch_ingest_events_total{kind="line",result="accepted"})"), 12);
  EXPECT_EQ(value(R"(atmwatch_mvno_bytes_total{carrier="docomo",direction="in"})"),
            4000 + 8000 + 500);
  EXPECT_EQ(value(R"(atmwatch_mvno_bytes_total{carrier="docomo",direction="out"})"),
            400 + 800 + 50);
  EXPECT_EQ(value(R"(atmwatch_mvno_lines{carrier="docomo",state="attached"})"), 2);
  EXPECT_EQ(value(R"(atmwatch_mvno_lines{carrier="docomo",state="in_session"})"), 1);
  EXPECT_EQ(value(R"(atmwatch_mvno_lines{carrier="docomo",state="detached"})"), 0);
  EXPECT_EQ(value(R"(atmwatch_mvno_sessions_total{carrier="docomo",event="started"})"), 3);
  EXPECT_EQ(value(R"(atmwatch_mvno_sessions_total{carrier="docomo",event="stopped"})"), 2);
  // Stopped: attached, but without a data session the line carries nothing.
  EXPECT_EQ(value(R"(atmwatch_mvno_line_up{line_id="819000000001"})"), 0);
  EXPECT_EQ(value(R"(atmwatch_mvno_line_up{line_id="819000000002"})"), 0);
  EXPECT_EQ(value(R"(atmwatch_mvno_session_ends_total{carrier="docomo",cause="user_request"})"), 2);
  // In session -> attached within the flap window.
  EXPECT_EQ(value(R"(atmwatch_mvno_line_flaps_total{line_id="819000000001"})"), 1);
  EXPECT_EQ(metrics.find(R"(line_id="819000000003")"), std::string::npos) << metrics;
  EXPECT_EQ(value("atmwatch_mvno_active_lines_target"), 100000);
  // No heartbeat from the ATMs, and their lines are down: they are not up.
  EXPECT_EQ(value(R"(atmwatch_atm_up{atm_id="ATM0001"})"), 0);
  EXPECT_EQ(value(R"(atmwatch_atm_state{atm_id="ATM0001",state="in_service"})"), 1);

  if (HaveTool("promtool")) {
    const ToolResult check = RunTool({"promtool", "check", "metrics"}, metrics);
    EXPECT_EQ(check.exit_code, 0) << check.output;
    EXPECT_EQ(check.output, "") << check.output;
  }
  EXPECT_EQ(collector.Stop(SIGTERM, 5s), 0) << collector.log();

  // A restart (snapshot on SIGTERM) shows the same figures.
  ASSERT_EQ(daemon.Stop(SIGTERM), 0) << daemon.log();
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const std::string after = HttpGet(daemon.http_base() + "/metrics").body;
  for (const char* series :
       {R"(atmwatch_mvno_bytes_total{carrier="docomo",direction="in"})",
        R"(atmwatch_mvno_lines{carrier="docomo",state="attached"})",
        R"(atmwatch_mvno_line_flaps_total{line_id="819000000001"})",
        R"(atmwatch_mvno_session_ends_total{carrier="docomo",cause="user_request"})"}) {
    EXPECT_EQ(SampleValue(after, series), value(series)) << series;
  }
}

// A vendor attribute for signal strength, as a NAS would send it: vendor
// 32473 (RFC 5612's number for examples), sub-attribute 200, signed dBm.
constexpr char kSignalDictionary[] =
    "VENDOR Atmwatch-Test 32473\n"
    "BEGIN-VENDOR Atmwatch-Test\n"
    "ATTRIBUTE Atmwatch-Test-Signal-Dbm 200 signed\n"
    "END-VENDOR Atmwatch-Test\n";

TEST(RadclientDaemonLinesTest, LostCarrierTakesTheLineDownCountsTheCauseAndKeepsTheSignal) {
  if (!HaveTool("radclient")) GTEST_SKIP() << "radclient (Debian freeradius-utils) is missing";
  DaemonProcess daemon(R"(
atms:
  - {id: ATM0001, line_id: "819000000001", carrier: docomo}
)");
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  RadiusCollectorProcess collector(daemon.ingest_address(),
                                   Config() + "signal_attribute: {vendor: 32473, type: 200}\n");
  ASSERT_TRUE(collector.Start()) << collector.log();
  TempDir dictionary("atmwatch-radclient-dictionary");
  std::ofstream(dictionary.Join("dictionary")) << kSignalDictionary;
  const auto send = [&](const std::string& attributes) {
    const RadclientReply reply =
        SendAccounting(collector.address(), kSecret, attributes, 1, dictionary.path());
    EXPECT_TRUE(reply.answered) << reply.output;
  };
  const auto metrics = [&] { return HttpGet(daemon.http_base() + "/metrics").body; };
  const std::string line = "819000000001";

  send(Session("Start", line, "S-1"));
  send(Session("Interim-Update", line, "S-1",
               Octets(100, 1000) + "Atmwatch-Test-Signal-Dbm = -87\n"));
  EXPECT_EQ(SampleValue(metrics(), R"(atmwatch_mvno_line_up{line_id="819000000001"})"), 1);
  send(Session("Stop", line, "S-1", Octets(200, 2000) + "Acct-Terminate-Cause = Lost-Carrier\n"));

  const std::string stopped = metrics();
  EXPECT_EQ(SampleValue(stopped, R"(atmwatch_mvno_line_up{line_id="819000000001"})"), 0);
  EXPECT_EQ(SampleValue(stopped, R"(atmwatch_mvno_lines{carrier="docomo",state="attached"})"), 1);
  EXPECT_EQ(
      SampleValue(stopped,
                  R"(atmwatch_mvno_session_ends_total{carrier="docomo",cause="lost_carrier"})"),
      1);
  EXPECT_EQ(SampleValue(stopped, R"(atmwatch_mvno_line_signal_dbm{line_id="819000000001"})"), -87);
  if (HaveTool("promtool")) {
    const ToolResult check = RunTool({"promtool", "check", "metrics"}, stopped);
    EXPECT_EQ(check.exit_code, 0) << check.output;
    EXPECT_EQ(check.output, "") << check.output;
  }

  send(Session("Start", line, "S-2"));
  const std::string restarted = metrics();
  EXPECT_EQ(SampleValue(restarted, R"(atmwatch_mvno_line_up{line_id="819000000001"})"), 1);
  EXPECT_EQ(SampleValue(restarted, R"(atmwatch_mvno_line_signal_dbm{line_id="819000000001"})"),
            -87);
  EXPECT_EQ(collector.Stop(SIGTERM, 5s), 0) << collector.log();
}

// A FreeRADIUS proxy adds a Proxy-State to what it forwards and expects it
// back; with two proxies in a row there are two, answered in their order.
TEST_F(RadclientE2eTest, ProxyStatesComeBackInOrder) {
  StartCollector(Config());
  const RadclientReply reply = Send(Session("Start", "819000000001", "S-1",
                                            "Proxy-State = 0x70726f78792d31\n"
                                            "Proxy-State = 0x0002ff\n"));
  ASSERT_TRUE(reply.answered) << reply.output;
  const std::size_t received = reply.output.find("Received Accounting-Response");
  ASSERT_NE(received, std::string::npos) << reply.output;
  const std::size_t first = reply.output.find("Proxy-State = 0x70726f78792d31", received);
  const std::size_t second = reply.output.find("Proxy-State = 0x0002ff", received);
  ASSERT_NE(first, std::string::npos) << reply.output;
  ASSERT_NE(second, std::string::npos) << reply.output;
  EXPECT_LT(first, second) << reply.output;
  // Nothing else is echoed.
  EXPECT_EQ(reply.output.find("Calling-Station-Id", received), std::string::npos) << reply.output;
}

TEST_F(RadclientE2eTest, RetransmitsWhileTheDaemonStallsMakeOneEvent) {
  StartCollector(Config());
  daemon_.Signal(SIGSTOP);
  RadclientReply reply;
  std::thread nas(
      [&] { reply = Send(Session("Start", "819000000001", "S-1"), kSecret, /*tries=*/6); });
  // The daemon resumes once radclient has retransmitted while the first
  // request still waited for it.
  EXPECT_TRUE(Eventually(
      [&] {
        return Collector(R"(atmwatch_radius_duplicate_requests_total{state="pending"})") >= 1;
      },
      10s, 50ms));
  daemon_.Signal(SIGCONT);
  nas.join();
  EXPECT_TRUE(reply.answered) << reply.output;
  EXPECT_GE(Collector(R"(atmwatch_radius_duplicate_requests_total{state="pending"})"), 1);
  EXPECT_EQ(Collector(R"(atmwatch_radius_requests_total{status_type="start"})"), 1);
  EXPECT_EQ(DaemonLinesAccepted(), 1);
}

TEST_F(RadclientE2eTest, AccountingOffDetachesTheLinesOpenOnThatNas) {
  StartCollector(Config());
  EXPECT_TRUE(Send(Session("Start", "819000000001", "S-1")).answered);
  EXPECT_TRUE(Send(Session("Start", "819000000002", "S-2")).answered);
  EXPECT_TRUE(Send(Session("Stop", "819000000002", "S-2")).answered);
  EXPECT_TRUE(Send("Acct-Status-Type = Accounting-Off\nNAS-Identifier = \"docomo-ggsn1\"\n"
                   "NAS-IP-Address = 10.9.8.7\n")
                  .answered);
  EXPECT_EQ(Collector(R"(atmwatch_radius_requests_total{status_type="accounting_off"})"), 1);
  // Start, Start, Stop, and one DETACH for the line still in session.
  EXPECT_EQ(DaemonLinesAccepted(), 4);
  EXPECT_EQ(Collector("atmwatch_radius_open_sessions"), 0);
  // Named as the NAS names itself, not by the address it came from.
  EXPECT_TRUE(Eventually(
      [&] {
        return collector_->log().find(
                   "NAS docomo-ggsn1 (10.9.8.7) sent Accounting-Off (via 127.0.0.1)") !=
               std::string::npos;
      },
      5s, 50ms))
      << collector_->log();
}

TEST_F(RadclientE2eTest, UnknownClientIsDroppedSilently) {
  StartCollector(Config("127.0.0.2"));
  EXPECT_FALSE(Send(Session("Start", "819000000001", "S-1")).answered);
  EXPECT_EQ(Collector(R"(atmwatch_radius_dropped_requests_total{reason="unknown_client"})"), 1);
  EXPECT_EQ(DaemonLinesAccepted(), 0);
}

TEST_F(RadclientE2eTest, MetricsAddressInUseExitsTwoNamingIt) {
  StartCollector(Config());
  // A second collector on the first one's metrics port.
  const std::string port = collector_->metrics_url().substr(17, 5);
  const ToolResult second = RunTool(
      {ATMWATCH_RADIUS_PATH, "--secret", "x", "--listen",
       "127.0.0.1:" + std::to_string(FreeUdpPort()), "--metrics-listen",
       "127.0.0.1:" + std::to_string(std::stoi(port)), "--ingest", daemon_.ingest_address()});
  EXPECT_EQ(second.exit_code, 2) << second.output;
  EXPECT_NE(second.output.find("cannot serve metrics on 127.0.0.1:" + port), std::string::npos)
      << second.output;
}

}  // namespace
}  // namespace atmwatch::testing
