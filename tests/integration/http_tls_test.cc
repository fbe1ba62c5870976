// HTTPS on the HTTP listener (http.tls) end to end: the real atmwatchd on
// loopback with certificates the openssl CLI made for the test, fetched with
// libcurl and scraped by a real Prometheus; every refusal checked in /metrics.

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "testing/daemon_process.h"
#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/prometheus_server.h"
#include "testing/raw_connection.h"
#include "testing/test_events.h"
#include "testing/test_pki.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

constexpr const char* kPassword = "scrape-password";
constexpr const char* kLedgerToken = "ledger-token-7f3a";

const char* kInventory = R"(
atms:
  - {id: ATM0001, site: "Parlor Shinjuku 1", region: kanto}
)";

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

// http: {tls: ..., basic_auth_users: {prometheus: <hash of kPassword>}};
// `tls_more` is further lines of http.tls, indented by four spaces.
std::string HttpSection(const TestPki& pki, const std::string& client_ca = "",
                        const std::string& tls_more = "") {
  const ToolResult hash =
      RunTool({"openssl", "passwd", "-6", "-salt", "0123456789abcdef", kPassword});
  std::string yaml = "http:\n  tls:\n    cert_file: " + pki.Path("server.crt") +
                     "\n    key_file: " + pki.Path("server.key") + "\n" + tls_more;
  if (!client_ca.empty()) yaml += "    client_ca_file: " + pki.Path(client_ca + ".crt") + "\n";
  return yaml + "  basic_auth_users: {prometheus: \"" + FirstLine(hash.output) + "\"}\n";
}

std::string Labeled(const std::string& family, const std::string& label, const std::string& value) {
  return family + "{" + label + "=\"" + value + "\"}";
}

// A daemon serving HTTPS with the certificate of server-ca, and basic auth.
class HttpsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new TestPki();
    pki_ready_ = pki_->MakeCa("server-ca") && pki_->MakeServer("server", "server-ca") &&
                 pki_->MakeCa("scrapers-ca") && pki_->MakeCa("other-ca") &&
                 pki_->MakeClient("prometheus", "scrapers-ca", "prometheus-1") &&
                 pki_->MakeClient("stranger", "other-ca", "prometheus-1");
    if (!pki_ready_) pki_error_ = pki_->error();
  }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  // Starts a daemon with `extra` config; with client_ca, client certificates
  // from it are required, and the readiness probe presents one.
  void StartDaemon(const std::string& extra = "", const std::string& client_ca = "",
                   const std::string& tls_more = "") {
    ASSERT_TRUE(pki_ready_) << pki_error_;
    daemon_ = std::make_unique<DaemonProcess>(std::string(kInventory) +
                                              HttpSection(*pki_, client_ca, tls_more) + extra);
    daemon_->UseHttps(Client(client_ca.empty() ? "" : "prometheus"));
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
  }

  // Trusts server-ca; presents `cert` (a name in the PKI) if set.
  HttpClientOptions Client(const std::string& cert = "", const std::string& user = "") const {
    HttpClientOptions client;
    client.ca_file = pki_->Path("server-ca.crt");
    if (!cert.empty()) {
      client.cert_file = pki_->Path(cert + ".crt");
      client.key_file = pki_->Path(cert + ".key");
    }
    client.user = user;
    return client;
  }
  HttpClientOptions Scraper(const std::string& cert = "") const {
    return Client(cert, std::string("prometheus:") + kPassword);
  }

  double Metric(const std::string& series, const HttpClientOptions& client) const {
    return SampleValue(HttpGet(daemon_->http_base() + "/metrics", client).body, series);
  }
  double HandshakeFailures(const std::string& reason, const HttpClientOptions& client) const {
    return Metric(Labeled("atmwatch_http_tls_handshake_failures_total", "reason", reason), client);
  }

  static inline TestPki* pki_ = nullptr;
  static inline bool pki_ready_ = false;
  static inline std::string pki_error_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(HttpsTest, MetricsAndReportAreServedOverHttpsToTheirUsers) {
  StartDaemon();
  const std::string base = daemon_->http_base();
  EXPECT_EQ(HttpGet(base + "/healthz", Client()).status, 200);
  EXPECT_EQ(HttpGet(base + "/metrics", Client()).status, 401);
  EXPECT_EQ(HttpGet(base + "/metrics", Client("", "prometheus:wrong")).status, 401);
  EXPECT_EQ(HttpGet(base + "/v1/report?quarter=2025Q1", Client()).status, 401);
  EXPECT_NE(HttpGet(base + "/v1/report?quarter=2025Q1", Scraper()).status, 401);

  const HttpResult scrape = HttpGet(base + "/metrics", Scraper());
  ASSERT_EQ(scrape.status, 200) << scrape.error;
  EXPECT_NE(scrape.body.find("\natmwatch_build_info{"), std::string::npos) << scrape.body;
  EXPECT_EQ(SampleValue(scrape.body, "atmwatch_http_unauthorized_total"), 3);
  EXPECT_GE(SampleValue(scrape.body, "atmwatch_http_tls_connections_total"), 6);
  EXPECT_EQ(SampleValue(scrape.body, Labeled("atmwatch_http_tls_handshake_failures_total", "reason",
                                             "protocol")),
            0);
  // The certificate is checked: a client trusting another CA refuses it.
  HttpClientOptions distrustful = Scraper();
  distrustful.ca_file = pki_->Path("other-ca.crt");
  EXPECT_EQ(HttpGet(base + "/healthz", distrustful).status, 0);
}

TEST_F(HttpsTest, PlainHttpToTheHttpsPortGetsNoAnswerAndIsCounted) {
  StartDaemon();
  const HttpResult plain = HttpGet("http://" + daemon_->http_address() + "/metrics");
  EXPECT_EQ(plain.status, 0);
  EXPECT_NE(plain.error, "");
  EXPECT_EQ(HandshakeFailures("protocol", Scraper()), 1);
}

// http.tls.max_connections and handshake_timeout reach the front: with 2
// connections allowed, the third is closed at once; the two held open
// without a handshake are closed after 1 s, well within the 5 s the test
// waits (the default, 10 s, would not be).
TEST_F(HttpsTest, ConfiguredLimitsCloseExtraAndSilentConnections) {
  StartDaemon("", "", "    max_connections: 2\n    handshake_timeout: 1s\n");
  const RawConnection::Options wait{.timeout = std::chrono::seconds(5)};
  RawConnection first(daemon_->http_address(), wait);
  RawConnection second(daemon_->http_address(), wait);
  ASSERT_TRUE(first.connected() && second.connected());
  // Accepted in the order they connected, so the third finds two open.
  RawConnection third(daemon_->http_address(), wait);
  EXPECT_TRUE(third.ClosedByPeer());
  EXPECT_TRUE(first.ClosedByPeer());
  EXPECT_TRUE(second.ClosedByPeer());
  const HttpClientOptions scraper = Scraper();
  EXPECT_GE(
      Metric(Labeled("atmwatch_http_tls_limit_hits_total", "limit", "max_connections"), scraper),
      1);
  EXPECT_EQ(HandshakeFailures("timeout", scraper), 2);
}

TEST_F(HttpsTest, EventsArePostedOverHttpsWithTheSourceToken) {
  const std::string digest = FirstLine(RunTool({"sha256sum"}, kLedgerToken).output).substr(0, 64);
  StartDaemon("ingest:\n  sources:\n    - {source_id: finance-ledger, token_sha256: \"" + digest +
              "\"}\n");
  const std::string batch = R"({"sourceId": "finance-ledger", "seq": "1", "events": [
      {"timeUnixMs": ")" + std::to_string(NowMs()) +
                            R"(", "transaction": {"atmId": "ATM0001", "type": "WITHDRAWAL",
       "result": "APPROVED", "amountYen": "10000"}}]})";
  const std::string url = daemon_->http_base() + "/v1/events";
  EXPECT_EQ(HttpPost(url, "application/json", batch, Client()).status, 401);
  HttpClientOptions ledger = Client();
  ledger.authorization = std::string("Bearer ") + kLedgerToken;
  const HttpResult posted = HttpPost(url, "application/json", batch, ledger);
  EXPECT_EQ(posted.status, 200) << posted.error << posted.body;
  EXPECT_EQ(Metric(TransactionSeries("ATM0001", "withdrawal", "approved"), Scraper()), 1);
}

TEST_F(HttpsTest, ClientCertificatesAreRequiredWithAClientCa) {
  StartDaemon("", "scrapers-ca");
  const std::string base = daemon_->http_base();
  const HttpResult anonymous = HttpGet(base + "/healthz", Client());
  EXPECT_EQ(anonymous.status, 0);
  const HttpResult stranger = HttpGet(base + "/healthz", Client("stranger"));
  EXPECT_EQ(stranger.status, 0);

  const HttpClientOptions scraper = Scraper("prometheus");
  const HttpResult scrape = HttpGet(base + "/metrics", scraper);
  ASSERT_EQ(scrape.status, 200) << scrape.error;
  EXPECT_EQ(HandshakeFailures("no_client_cert", scraper), 1);
  EXPECT_EQ(HandshakeFailures("untrusted_cert", scraper), 1);
  // Basic auth still applies behind the certificate.
  EXPECT_EQ(HttpGet(base + "/metrics", Client("prometheus")).status, 401);
}

TEST_F(HttpsTest, TheHttpServerBehindTheFrontAnswersNoOneElse) {
  StartDaemon("", "scrapers-ca");
  std::smatch match;
  const std::string log = daemon_->log();
  ASSERT_TRUE(
      std::regex_search(log, match, std::regex("behind TLS listens on (127\\.0\\.0\\.1:[0-9]+)")))
      << log;
  // A local process that finds the loopback port gets past neither the
  // client certificate nor the password.
  const std::string inner = "http://" + match[1].str();
  EXPECT_EQ(HttpGet(inner + "/metrics", Scraper()).status, 403);
  EXPECT_EQ(HttpGet(inner + "/healthz").status, 403);
  EXPECT_EQ(HttpGet(daemon_->http_base() + "/healthz", Client("prometheus")).status, 200);
}

TEST_F(HttpsTest, UnusableCertificateFileStopsTheStartNamingIt) {
  ASSERT_TRUE(pki_ready_) << pki_error_;
  const std::string missing = pki_->Path("no-such.crt");
  DaemonProcess daemon("http:\n  tls: {cert_file: " + missing +
                       ", key_file: " + pki_->Path("server.key") + "}\n");
  daemon.Spawn();
  EXPECT_EQ(daemon.WaitExit(std::chrono::seconds(10)), 2);
  EXPECT_NE(daemon.log().find("http.tls.cert_file: cannot use '" + missing + "'"),
            std::string::npos)
      << daemon.log();
}

TEST_F(HttpsTest, PrometheusScrapesOverHttpsWithACertificateAndPassword) {
  if (!HaveTool("prometheus")) GTEST_SKIP() << "prometheus is not installed";
  StartDaemon("", "scrapers-ca");
  PrometheusServer prometheus;
  const std::string config = R"(
global: {scrape_interval: 1s, scrape_timeout: 1s}
scrape_configs:
  - job_name: atmwatchd-https
    scheme: https
    tls_config:
      ca_file: )" + pki_->Path("server-ca.crt") +
                             R"(
      cert_file: )" + pki_->Path("prometheus.crt") +
                             R"(
      key_file: )" + pki_->Path("prometheus.key") +
                             R"(
    basic_auth: {username: prometheus, password: )" +
                             kPassword + R"(}
    static_configs:
      - targets: [")" + daemon_->http_address() +
                             R"("]
)";
  ASSERT_TRUE(prometheus.Start(config)) << prometheus.log();
  std::string last;
  const bool up = Eventually([&] {
    const PromQueryResult answer = prometheus.Query("up{job=\"atmwatchd-https\"} == 1");
    last = answer.error;
    return answer.error.empty() && answer.items.size() == 1;
  });
  EXPECT_TRUE(up) << last << "\n" << prometheus.log();
  const PromQueryResult build = prometheus.Query("atmwatch_build_info");
  ASSERT_EQ(build.error, "");
  EXPECT_EQ(build.items.size(), 1u);
  EXPECT_EQ(HandshakeFailures("no_client_cert", Scraper("prometheus")), 0);
}

TEST_F(HttpsTest, SighupBringsANewCertificateAndABrokenOneIsKept) {
  ASSERT_TRUE(pki_ready_) << pki_error_;
  TestPki renewal;
  ASSERT_TRUE(renewal.MakeCa("new-ca") && renewal.MakeServer("new", "new-ca")) << renewal.error();
  const std::string cert = renewal.Path("server.crt");
  const std::string key = renewal.Path("server.key");
  std::filesystem::copy_file(pki_->Path("server.crt"), cert);
  std::filesystem::copy_file(pki_->Path("server.key"), key);
  const std::string config =
      std::string(kInventory) + "http:\n  tls: {cert_file: " + cert + ", key_file: " + key + "}\n";
  DaemonProcess daemon(config);
  daemon.UseHttps(Client());
  ASSERT_TRUE(daemon.Start()) << daemon.log();

  HttpClientOptions trusting_new;
  trusting_new.ca_file = renewal.Path("new-ca.crt");
  const std::string healthz = daemon.http_base() + "/healthz";
  const std::string metrics = daemon.http_base() + "/metrics";
  EXPECT_EQ(HttpGet(healthz, trusting_new).status, 0);

  const auto overwrite = std::filesystem::copy_options::overwrite_existing;
  std::filesystem::copy_file(renewal.Path("new.crt"), cert, overwrite);
  std::filesystem::copy_file(renewal.Path("new.key"), key, overwrite);
  daemon.Signal(SIGHUP);
  ASSERT_TRUE(Eventually([&] {
    return SampleValue(HttpGet(metrics, trusting_new).body,
                       "atmwatch_http_tls_reloads_total{result=\"ok\"}") == 1;
  })) << daemon.log();
  EXPECT_EQ(HttpGet(healthz, Client()).status, 0);

  // A certificate the daemon cannot use keeps the running one.
  std::ofstream(cert, std::ios::trunc) << "not a certificate\n";
  daemon.Signal(SIGHUP);
  ASSERT_TRUE(Eventually([&] {
    return SampleValue(HttpGet(metrics, trusting_new).body,
                       "atmwatch_http_tls_reloads_total{result=\"failed\"}") == 1;
  })) << daemon.log();
  EXPECT_EQ(HttpGet(healthz, trusting_new).status, 200);
  EXPECT_NE(daemon.log().find("keeping the running http.tls certificates"), std::string::npos);
}

}  // namespace
}  // namespace atmwatch::testing
