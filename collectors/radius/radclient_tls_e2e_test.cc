// atmwatch-radius against an atmwatchd that requires mutual TLS and binds
// the collector's source to its certificate or to a token: the real
// radclient, collector and daemon on 127.0.0.1, certificates from the
// openssl CLI. A wrong token must cost nothing but time: the requests stay
// unanswered while the daemon refuses, and once its config is fixed every
// event arrives exactly once.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <memory>

#include "radius/radius_collector_process.h"
#include "testing/collector_credentials.h"
#include "testing/daemon_process.h"
#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kSecret[] = "testing123";
constexpr char kSourceId[] = "radius-tls-1";

std::string Accounting(const std::string& status, const std::string& line) {
  return "Acct-Status-Type = " + status + "\nAcct-Session-Id = \"S-" + line +
         "\"\nCalling-Station-Id = \"" + line + "\"\n";
}

std::size_t Occurrences(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

class RadclientTlsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveTool("radclient")) GTEST_SKIP() << "radclient (Debian freeradius-utils) is missing";
    ASSERT_TRUE(credentials_.ok()) << credentials_.error();
  }

  void StartDaemon(const std::string& binding) {
    daemon_ = std::make_unique<DaemonProcess>(credentials_.DaemonIngest(binding));
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
  }
  void StartCollector(const std::string& token) {
    collector_ = std::make_unique<RadiusCollectorProcess>(
        daemon_->ingest_address(),
        "clients:\n  - {address: 127.0.0.1, secret: " + std::string(kSecret) + "}\n" +
            credentials_.CollectorIngest(token));
    ASSERT_TRUE(collector_->Start()) << collector_->log();
  }

  double Daemon(const std::string& series) const {
    return SampleValue(HttpGet(daemon_->http_base() + "/metrics").body, series);
  }
  double DaemonLines(const std::string& result) const {
    return Daemon(R"(atmwatch_ingest_events_total{kind="line",result=")" + result + "\"}");
  }
  RadclientReply Send(const std::string& attributes, int tries = 1) const {
    return SendAccounting(collector_->address(), kSecret, attributes, tries);
  }

  CollectorCredentials credentials_{kSourceId};
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<RadiusCollectorProcess> collector_;
};

TEST_F(RadclientTlsE2eTest, CertificateBoundSourceIsAnsweredOverMutualTls) {
  StartDaemon(credentials_.CertBinding());
  StartCollector(/*token=*/"");
  for (const std::string status : {"Start", "Interim-Update", "Stop"}) {
    const RadclientReply reply = Send(Accounting(status, "819000000001"));
    EXPECT_TRUE(reply.answered) << reply.output << collector_->log();
  }
  EXPECT_EQ(DaemonLines("accepted"), 3);
  EXPECT_EQ(collector_->Metric(
                R"(atmwatch_collector_daemon_events_total{collector="radius",result="accepted"})"),
            3);
  EXPECT_EQ(collector_->Metric(R"(atmwatch_collector_daemon_refusals_total{collector="radius"})"),
            0);
  EXPECT_EQ(Daemon(R"(atmwatch_ingest_auth_failures_total{reason="subject_mismatch"})"), 0);
  EXPECT_NE(collector_->log().find("over TLS with a client certificate"), std::string::npos)
      << collector_->log();
  EXPECT_EQ(collector_->Stop(SIGTERM, 5s), 0) << collector_->log();
}

TEST_F(RadclientTlsE2eTest, WrongTokenHoldsTheRequestUntilTheDaemonIsFixedThenArrivesOnce) {
  StartDaemon(CollectorCredentials::TokenBinding("the-daemons-token"));
  StartCollector("the-collectors-token");

  // The NAS retransmits once a second while the daemon refuses the source.
  RadclientReply refused_then_answered;
  std::thread nas(
      [&] { refused_then_answered = Send(Accounting("Start", "819000000002"), /*tries=*/30); });
  const bool refused = Eventually(
      [&] {
        return collector_->Metric(
                   R"(atmwatch_collector_daemon_refusals_total{collector="radius"})") >= 2;
      },
      10s, 50ms);
  EXPECT_TRUE(refused) << collector_->log();
  EXPECT_GE(Daemon(R"(atmwatch_ingest_auth_failures_total{reason="token_mismatch"})"), 2);
  EXPECT_EQ(DaemonLines("accepted"), 0);
  EXPECT_EQ(collector_->Metric("atmwatch_radius_responses_total"), 0);
  EXPECT_EQ(collector_->Metric("atmwatch_radius_lost_events_total"), 0);

  // The operator binds the source to the token the collector has.
  ASSERT_TRUE(ReloadDaemon(*daemon_, credentials_.DaemonIngest(CollectorCredentials::TokenBinding(
                                         "the-collectors-token"))))
      << daemon_->log();
  nas.join();
  EXPECT_TRUE(refused_then_answered.answered) << refused_then_answered.output << collector_->log();
  EXPECT_EQ(DaemonLines("accepted"), 1);
  EXPECT_EQ(DaemonLines("duplicate"), 0);
  EXPECT_EQ(collector_->Metric(
                R"(atmwatch_collector_daemon_events_total{collector="radius",result="accepted"})"),
            1);
  EXPECT_EQ(collector_->Metric("atmwatch_radius_lost_events_total"), 0);
  EXPECT_GE(collector_->Metric(R"(atmwatch_radius_duplicate_requests_total{state="pending"})"), 1);

  // The next request goes straight through.
  EXPECT_TRUE(Send(Accounting("Stop", "819000000002")).answered) << collector_->log();
  EXPECT_EQ(DaemonLines("accepted"), 2);

  // One line for the refusal however many attempts, one for the recovery.
  const std::string log = collector_->log();
  EXPECT_EQ(Occurrences(log, "UNAUTHENTICATED"), 1) << log;
  EXPECT_EQ(Occurrences(log, "the daemon accepts source 'radius-tls-1' again"), 1) << log;
  EXPECT_EQ(collector_->Stop(SIGTERM, 5s), 0) << log;
}

}  // namespace
}  // namespace atmwatch::testing
