// The ingest port's TLS, source authentication and connection limits end to
// end: the real atmwatchd on loopback with certificates the openssl CLI made
// for the test, fed by the client library and raw sockets; every refusal
// checked in /metrics.

#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "atmwatch/v1/ingest.pb.h"
#include "client/ingest_client.h"
#include "testing/daemon_process.h"
#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/raw_connection.h"
#include "testing/read_file.h"
#include "testing/test_events.h"
#include "testing/test_pki.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

using v1::AtmTransaction;

constexpr const char* kLedgerToken = "ledger-token-7f3a";

std::string Sha256Hex(const std::string& text) {
  const ToolResult result = RunTool({"sha256sum"}, text);
  return result.output.substr(0, 64);
}

std::string Withdrawals(const std::string& atm) {
  return TransactionSeries(atm, "withdrawal", "approved");
}

std::string Labeled(const std::string& family, const std::string& label, const std::string& value) {
  return family + "{" + label + "=\"" + value + "\"}";
}

double Metric(const DaemonProcess& daemon, const std::string& series) {
  return SampleValue(HttpGet(daemon.http_base() + "/metrics").body, series);
}

// Sends `events` withdrawals of `atm` and flushes; the client's error, or Ok.
// `refusal`, if set, gets what the client made of a failure (NONE: the
// daemon was unreachable).
Status SendWithdrawals(client::ClientOptions options, const std::string& atm, int events,
                       v1::Ack::Error* refusal = nullptr) {
  client::IngestClient client(std::move(options));
  Status status;
  for (int i = 0; i < events && status.ok(); ++i) status = client.Add(Withdrawal(atm));
  if (status.ok()) status = client.Flush();
  if (refusal != nullptr) *refusal = client.refusal();
  return status;
}

// Raw connections here wait 200 ms for a read or write: whether the daemon
// closed them is asked many times.
const RawConnection::Options kQuick{.timeout = std::chrono::milliseconds(200)};

const char* kInventory = R"(
atms:
  - {id: ATM0001, site: "Parlor Shinjuku 1", region: kanto}
  - {id: ATM0002, site: "Parlor Umeda 1", region: kansai}
)";

// A daemon with mutual TLS: sources-ca signs the clients it trusts.
class MutualTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new TestPki();
    const bool made = pki_->MakeCa("sources-ca") && pki_->MakeCa("other-ca") &&
                      pki_->MakeServer("server", "sources-ca") &&
                      pki_->MakeClient("tokyo", "sources-ca", "radius-tokyo-1") &&
                      pki_->MakeClient("osaka", "sources-ca", "radius-osaka-1") &&
                      pki_->MakeClient("ledger", "sources-ca", "finance-ledger-host") &&
                      pki_->MakeClient("stranger", "other-ca", "radius-tokyo-1") &&
                      pki_->MakeExpiredClient("expired", "sources-ca", "radius-tokyo-1");
    pki_ready_ = made;
    if (!made) pki_error_ = pki_->error();
  }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(pki_ready_) << pki_error_;
    daemon_ = std::make_unique<DaemonProcess>(std::string(kInventory) + R"(
ingest:
  tls:
    cert_file: )" + pki_->Path("server.crt") + R"(
    key_file: )" + pki_->Path("server.key") + R"(
    client_ca_file: )" + pki_->Path("sources-ca.crt") +
                                              R"(
  sources:
    - {source_id: radius-tokyo-1, cert_subject: "CN=radius-tokyo-1"}
    - {source_id: finance-ledger, token_sha256: ")" +
                                              Sha256Hex(kLedgerToken) + R"("}
)");
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
  }

  // A client trusting sources-ca, presenting `client` (a name in the PKI) if set.
  client::ClientOptions ClientFor(const std::string& source, const std::string& client) {
    client::ClientOptions options;
    options.address = daemon_->ingest_address();
    options.source_id = source;
    options.tls.enabled = true;
    options.tls.ca_file = pki_->Path("sources-ca.crt");
    if (!client.empty()) {
      options.tls.cert_file = pki_->Path(client + ".crt");
      options.tls.key_file = pki_->Path(client + ".key");
    }
    options.backoff_initial = std::chrono::milliseconds(50);
    options.backoff_max = std::chrono::milliseconds(200);
    options.ack_timeout = std::chrono::seconds(5);
    options.give_up_after = std::chrono::seconds(1);
    return options;
  }

  double HandshakeFailures(const std::string& reason) const {
    return Metric(*daemon_,
                  Labeled("atmwatch_ingest_tls_handshake_failures_total", "reason", reason));
  }
  double AuthFailures(const std::string& reason) const {
    return Metric(*daemon_, Labeled("atmwatch_ingest_auth_failures_total", "reason", reason));
  }

  static inline TestPki* pki_ = nullptr;
  static inline bool pki_ready_ = false;
  static inline std::string pki_error_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(MutualTlsTest, ClientWithTheBoundCertificateIsAcceptedAndCountedPerAtm) {
  const Status sent = SendWithdrawals(ClientFor("radius-tokyo-1", "tokyo"), "ATM0001", 5);
  ASSERT_TRUE(sent.ok()) << sent.message();
  EXPECT_EQ(Metric(*daemon_, Withdrawals("ATM0001")), 5);
  EXPECT_EQ(AuthFailures("subject_mismatch"), 0);
  // A source no entry binds is open to any verified client.
  ASSERT_TRUE(SendWithdrawals(ClientFor("journal-osaka", "osaka"), "ATM0002", 2).ok());
  EXPECT_EQ(Metric(*daemon_, Withdrawals("ATM0002")), 2);
}

// The client tells a refused certificate from a daemon that is down: it is
// UNAUTHENTICATED, which the collectors count and alert on as a refusal.
TEST_F(MutualTlsTest, CertificateFromAnotherCaIsRefusedAtTheHandshake) {
  v1::Ack::Error refusal = v1::Ack::NONE;
  const Status sent =
      SendWithdrawals(ClientFor("radius-tokyo-1", "stranger"), "ATM0001", 1, &refusal);
  EXPECT_FALSE(sent.ok());
  EXPECT_EQ(refusal, v1::Ack::UNAUTHENTICATED) << sent.message();
  EXPECT_NE(sent.message().find("refused the certificate of 'radius-tokyo-1'"), std::string::npos)
      << sent.message();
  // The client reads the daemon's alert before the daemon has counted it.
  EXPECT_TRUE(Eventually([&] { return HandshakeFailures("untrusted_cert") >= 1; }));
  EXPECT_EQ(Metric(*daemon_, Withdrawals("ATM0001")), 0);
}

TEST_F(MutualTlsTest, ExpiredCertificateIsRefusedAtTheHandshake) {
  v1::Ack::Error refusal = v1::Ack::NONE;
  const Status sent =
      SendWithdrawals(ClientFor("radius-tokyo-1", "expired"), "ATM0001", 1, &refusal);
  EXPECT_FALSE(sent.ok());
  EXPECT_EQ(refusal, v1::Ack::UNAUTHENTICATED) << sent.message();
  EXPECT_TRUE(Eventually([&] { return HandshakeFailures("expired_cert") >= 1; }));
  EXPECT_EQ(HandshakeFailures("untrusted_cert"), 0);
}

TEST_F(MutualTlsTest, ClientWithoutCertificateIsRefusedAtTheHandshake) {
  v1::Ack::Error refusal = v1::Ack::NONE;
  const Status sent = SendWithdrawals(ClientFor("radius-tokyo-1", ""), "ATM0001", 1, &refusal);
  EXPECT_FALSE(sent.ok());
  EXPECT_EQ(refusal, v1::Ack::UNAUTHENTICATED) << sent.message();
  EXPECT_TRUE(Eventually([&] { return HandshakeFailures("no_client_cert") >= 1; }));
}

TEST_F(MutualTlsTest, PlainTcpClientIsRefusedAtTheHandshake) {
  client::ClientOptions options = ClientFor("radius-tokyo-1", "tokyo");
  options.tls = {};
  v1::Ack::Error refusal = v1::Ack::UNAUTHENTICATED;
  EXPECT_FALSE(SendWithdrawals(options, "ATM0001", 1, &refusal).ok());
  EXPECT_EQ(refusal, v1::Ack::NONE) << "not a refusal of a certificate";
  EXPECT_TRUE(Eventually([&] { return HandshakeFailures("protocol") >= 1; }));
}

TEST_F(MutualTlsTest, CertificateOfAnotherSourceGetsTheAckError) {
  // first_seq 1: no seq-0 query, so the refusal comes as the batch's own Ack.
  client::ClientOptions options = ClientFor("radius-tokyo-1", "osaka");
  options.first_seq = 1;
  const Status sent = SendWithdrawals(options, "ATM0001", 3);
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.message().find("refused batch 1 of 'radius-tokyo-1'"), std::string::npos)
      << sent.message();
  EXPECT_NE(sent.message().find("is bound to certificate subject 'CN=radius-tokyo-1'"),
            std::string::npos)
      << sent.message();
  EXPECT_EQ(AuthFailures("subject_mismatch"), 1);
  EXPECT_EQ(Metric(*daemon_, "atmwatch_ingest_batches_total{result=\"unauthenticated\"}"), 1);
  EXPECT_EQ(Metric(*daemon_, Withdrawals("ATM0001")), 0);
}

TEST_F(MutualTlsTest, TokenBoundSourceNeedsItsTokenBesideTheCertificate) {
  client::ClientOptions options = ClientFor("finance-ledger", "ledger");
  options.auth_token = "not-the-ledger-token";
  const Status wrong = SendWithdrawals(options, "ATM0002", 1);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.message().find("not-the-ledger-token"), std::string::npos);
  EXPECT_EQ(AuthFailures("token_mismatch"), 1);

  options.auth_token.clear();
  EXPECT_FALSE(SendWithdrawals(options, "ATM0002", 1).ok());
  EXPECT_EQ(AuthFailures("missing_credential"), 1);

  options.auth_token = kLedgerToken;
  const Status right = SendWithdrawals(options, "ATM0002", 4);
  ASSERT_TRUE(right.ok()) << right.message();
  EXPECT_EQ(Metric(*daemon_, Withdrawals("ATM0002")), 4);
}

// Token authentication over plain TCP and HTTP, and what reaches the log.
class TokenAuthTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(daemon_.Start()) << daemon_.log(); }

  client::ClientOptions ClientFor(const std::string& source, const std::string& token) {
    client::ClientOptions options;
    options.address = daemon_.ingest_address();
    options.source_id = source;
    options.auth_token = token;
    options.give_up_after = std::chrono::seconds(5);
    return options;
  }

  // POST /v1/events with curl; "STATUS BODY".
  std::string Post(const std::string& body, const std::string& authorization) {
    std::vector<std::string> argv = {"curl", "-s",   "-w", " %{http_code}",
                                     "-X",   "POST", "-H", "Content-Type: application/json"};
    if (!authorization.empty()) {
      argv.push_back("-H");
      argv.push_back("Authorization: " + authorization);
    }
    argv.push_back("--data-binary");
    argv.push_back(body);
    argv.push_back(daemon_.http_base() + "/v1/events");
    return RunTool(argv).output;
  }

  DaemonProcess daemon_{std::string(kInventory) + R"(
ingest:
  sources:
    - {source_id: finance-ledger, token_sha256: ")" +
                        Sha256Hex(kLedgerToken) + R"("}
    - {source_id: journal-osaka}
  require_known_sources: true
)"};
};

TEST_F(TokenAuthTest, TokenOverTcpIsCheckedAndNeverLogged) {
  EXPECT_FALSE(SendWithdrawals(ClientFor("finance-ledger", "guess"), "ATM0001", 1).ok());
  EXPECT_FALSE(SendWithdrawals(ClientFor("someone-else", ""), "ATM0001", 1).ok());
  const Status sent = SendWithdrawals(ClientFor("finance-ledger", kLedgerToken), "ATM0001", 3);
  ASSERT_TRUE(sent.ok()) << sent.message();
  ASSERT_TRUE(SendWithdrawals(ClientFor("journal-osaka", ""), "ATM0002", 1).ok());

  const std::string metrics = HttpGet(daemon_.http_base() + "/metrics").body;
  EXPECT_EQ(SampleValue(metrics, Withdrawals("ATM0001")), 3);
  EXPECT_EQ(SampleValue(metrics,
                        Labeled("atmwatch_ingest_auth_failures_total", "reason", "token_mismatch")),
            1);
  EXPECT_EQ(SampleValue(metrics,
                        Labeled("atmwatch_ingest_auth_failures_total", "reason", "unknown_source")),
            1);

  // The batch that carried the token is in the log, without the token.
  daemon_.Stop(SIGTERM);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(daemon_.data_dir())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    EXPECT_EQ(ReadFile(entry.path()).find(kLedgerToken), std::string::npos) << entry.path();
  }
  EXPECT_GT(files, 0u);
}

TEST_F(TokenAuthTest, HttpEventsNeedTheBearerToken) {
  const std::string batch = R"({"sourceId": "finance-ledger", "seq": "1", "events": [
      {"timeUnixMs": ")" + std::to_string(NowMs()) +
                            R"(", "transaction": {"atmId": "ATM0001", "type": "WITHDRAWAL",
       "result": "APPROVED", "amountYen": "10000"}}]})";
  const std::string none = Post(batch, "");
  EXPECT_NE(none.find("\"error\":\"UNAUTHENTICATED\""), std::string::npos) << none;
  EXPECT_NE(none.find("finance-ledger"), std::string::npos) << none;
  EXPECT_TRUE(none.ends_with(" 401")) << none;

  const std::string wrong = Post(batch, "Bearer guess");
  EXPECT_TRUE(wrong.ends_with(" 401")) << wrong;
  EXPECT_EQ(wrong.find("guess"), std::string::npos) << wrong;

  const std::string right = Post(batch, std::string("Bearer ") + kLedgerToken);
  EXPECT_TRUE(right.ends_with(" 200")) << right;
  EXPECT_EQ(Metric(daemon_, Withdrawals("ATM0001")), 1);
  EXPECT_EQ(Metric(daemon_,
                   Labeled("atmwatch_ingest_auth_failures_total", "reason", "missing_credential")),
            1);
  EXPECT_EQ(
      Metric(daemon_, Labeled("atmwatch_ingest_auth_failures_total", "reason", "token_mismatch")),
      1);
}

TEST(TlsReloadTest, SighupBringsANewServerCertificateToNewConnections) {
  TestPki pki;
  ASSERT_TRUE(pki.MakeCa("old-ca") && pki.MakeCa("new-ca") && pki.MakeServer("old", "old-ca") &&
              pki.MakeServer("new", "new-ca"))
      << pki.error();
  std::filesystem::copy_file(pki.Path("old.crt"), pki.Path("server.crt"));
  std::filesystem::copy_file(pki.Path("old.key"), pki.Path("server.key"));
  DaemonProcess daemon(std::string(kInventory) + "ingest:\n  tls: {cert_file: " +
                       pki.Path("server.crt") + ", key_file: " + pki.Path("server.key") + "}\n");
  ASSERT_TRUE(daemon.Start()) << daemon.log();

  auto trusting = [&](const std::string& ca) {
    client::ClientOptions options;
    options.address = daemon.ingest_address();
    options.source_id = "reload-client";
    options.tls.enabled = true;
    options.tls.ca_file = pki.Path(ca + ".crt");
    options.backoff_initial = std::chrono::milliseconds(50);
    options.give_up_after = std::chrono::milliseconds(500);
    return options;
  };
  ASSERT_TRUE(SendWithdrawals(trusting("old-ca"), "ATM0001", 1).ok());
  EXPECT_FALSE(SendWithdrawals(trusting("new-ca"), "ATM0001", 1).ok());

  const auto overwrite = std::filesystem::copy_options::overwrite_existing;
  std::filesystem::copy_file(pki.Path("new.crt"), pki.Path("server.crt"), overwrite);
  std::filesystem::copy_file(pki.Path("new.key"), pki.Path("server.key"), overwrite);
  daemon.Signal(SIGHUP);
  ASSERT_TRUE(Eventually([&] {
    return Metric(daemon, "atmwatch_ingest_tls_reloads_total{result=\"ok\"}") == 1;
  })) << daemon.log();
  const Status renewed = SendWithdrawals(trusting("new-ca"), "ATM0001", 1);
  EXPECT_TRUE(renewed.ok()) << renewed.message();
  EXPECT_FALSE(SendWithdrawals(trusting("old-ca"), "ATM0001", 1).ok());

  // A certificate the daemon cannot use keeps the running one.
  std::ofstream(pki.Path("server.crt"), std::ios::trunc) << "not a certificate\n";
  daemon.Signal(SIGHUP);
  ASSERT_TRUE(Eventually([&] {
    return Metric(daemon, "atmwatch_ingest_tls_reloads_total{result=\"failed\"}") == 1;
  })) << daemon.log();
  EXPECT_TRUE(SendWithdrawals(trusting("new-ca"), "ATM0001", 1).ok());
  EXPECT_EQ(Metric(daemon, Withdrawals("ATM0001")), 3);
}

TEST(ConnectionLimitsTest, IdleAndSlowConnectionsAreClosedWhileAGoodClientStreams) {
  DaemonProcess daemon(std::string(kInventory) + R"(
ingest: {idle_timeout: 1s, frame_timeout: 2s, max_connections_per_ip: 32}
)");
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  constexpr int kIdle = 4;
  constexpr int kSlow = 4;
  std::vector<std::unique_ptr<RawConnection>> idle, slow;
  for (int i = 0; i < kIdle; ++i) {
    idle.push_back(std::make_unique<RawConnection>(daemon.ingest_address(), kQuick));
    ASSERT_TRUE(idle.back()->connected());
  }
  for (int i = 0; i < kSlow; ++i) {
    slow.push_back(std::make_unique<RawConnection>(daemon.ingest_address(), kQuick));
    ASSERT_TRUE(slow.back()->connected());
  }
  // Slow-loris: a frame of 100 bytes announced, then one byte a second.
  std::atomic<bool> stop{false};
  std::atomic<int> slow_closed{0};
  std::thread dribbler([&] {
    for (auto& connection : slow) connection->Write(std::string(1, '\x64'));
    std::vector<bool> closed(slow.size(), false);
    for (int second = 0; second < 60 && !stop; ++second) {
      // One byte a second is the slow client under test, not a wait.
      std::this_thread::sleep_for(std::chrono::seconds(1));
      for (std::size_t i = 0; i < slow.size(); ++i) {
        if (!closed[i] && !slow[i]->Write("x")) {
          closed[i] = true;
          ++slow_closed;
        }
      }
    }
  });

  client::ClientOptions options;
  options.address = daemon.ingest_address();
  options.source_id = "good-client";
  options.max_batch_events = 1;
  options.give_up_after = std::chrono::seconds(10);
  client::IngestClient good(options);
  int acked = 0;
  const std::string idle_hits =
      Labeled("atmwatch_ingest_limit_hits_total", "limit", "idle_timeout");
  const std::string frame_hits =
      Labeled("atmwatch_ingest_limit_hits_total", "limit", "frame_timeout");
  // Taken while the good client is active: once it stops, it idles out too.
  std::string metrics;
  Status failed;
  Eventually(
      [&] {
        Status sent = good.Add(Withdrawal("ATM0001"));
        if (sent.ok()) sent = good.Flush();
        if (!sent.ok()) {
          failed = sent;
          return true;
        }
        ++acked;
        metrics = HttpGet(daemon.http_base() + "/metrics").body;
        return slow_closed == kSlow && SampleValue(metrics, idle_hits) >= kIdle &&
               SampleValue(metrics, frame_hits) >= kSlow;
      },
      std::chrono::seconds(30), std::chrono::milliseconds(200));
  stop = true;
  dribbler.join();
  ASSERT_TRUE(failed.ok()) << failed.message();

  EXPECT_EQ(slow_closed, kSlow);
  for (auto& connection : idle) EXPECT_TRUE(connection->ClosedByPeer());
  EXPECT_EQ(SampleValue(metrics, idle_hits), kIdle);
  EXPECT_EQ(SampleValue(metrics, frame_hits), kSlow);
  // The good client kept its connection and every batch was acknowledged.
  EXPECT_EQ(good.totals().reconnects, 0u);
  EXPECT_EQ(good.totals().accepted, static_cast<std::uint64_t>(acked));
  EXPECT_EQ(SampleValue(metrics, Withdrawals("ATM0001")), acked);
  EXPECT_GT(acked, 0);
}

// A peer that keeps sending but never reads its acks: once the acks fill
// the socket, the write timeout closes it, and its window is freed.
TEST(ConnectionLimitsTest, PeerThatNeverReadsItsAcksIsClosedOnTheWriteTimeout) {
  // Unlisted sources are refused, so every batch is answered at once with an
  // UNAUTHENTICATED ack and nothing waits on the disk.
  DaemonProcess daemon(std::string(kInventory) + R"(
ingest: {write_timeout: 1s, require_known_sources: true}
)");
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  RawConnection deaf(daemon.ingest_address(),
                     {.receive_buffer_bytes = 4096, .timeout = kQuick.timeout});
  ASSERT_TRUE(deaf.connected());
  v1::Batch batch;
  batch.set_source_id("deaf-peer");
  *batch.add_events() = Withdrawal("ATM0001");
  int sent = 0;
  for (; sent < 200000; ++sent) {
    batch.set_seq(static_cast<std::uint64_t>(sent) + 1);
    std::string frame;
    google::protobuf::io::StringOutputStream stream(&frame);
    google::protobuf::util::SerializeDelimitedToZeroCopyStream(batch, &stream);
    if (!deaf.Write(frame)) break;  // the daemon stopped reading: its window is full
  }
  EXPECT_LT(sent, 200000);
  const std::string write_hits =
      Labeled("atmwatch_ingest_limit_hits_total", "limit", "write_timeout");
  EXPECT_TRUE(Eventually([&] { return Metric(daemon, write_hits) == 1; }));
  EXPECT_TRUE(Eventually([&] { return Metric(daemon, "atmwatch_ingest_connections") == 0; }));
  EXPECT_GE(Metric(daemon, "atmwatch_ingest_read_pauses_total"), 1);
}

TEST(ConnectionLimitsTest, StringsLongerThanTheConfiguredLimitAreRefused) {
  DaemonProcess daemon("ingest: {max_string_bytes: 16, max_unknown_atms: 10}\n");
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  client::ClientOptions options;
  options.address = daemon.ingest_address();
  options.source_id = "long-ids";
  client::IngestClient client(options);
  ASSERT_TRUE(client.Add(Withdrawal("ATM-SIXTEEN-BYTE")).ok());   // 16 bytes: taken
  ASSERT_TRUE(client.Add(Withdrawal("ATM-SEVENTEEN-BYT")).ok());  // 17 bytes: refused
  ASSERT_TRUE(client.Flush().ok());
  EXPECT_EQ(client.totals().accepted, 1u);
  EXPECT_EQ(client.totals().rejected, 1u);
  EXPECT_EQ(Metric(daemon,
                   "atmwatch_ingest_events_rejected_total{kind=\"transaction\",reason="
                   "\"field_too_long\"}"),
            1);
}

TEST(ConnectionLimitsTest, ConnectionsBeyondThePerAddressLimitAreClosed) {
  DaemonProcess daemon(std::string(kInventory) + "ingest: {max_connections_per_ip: 3}\n");
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  std::vector<std::unique_ptr<RawConnection>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(std::make_unique<RawConnection>(daemon.ingest_address(), kQuick));
  }
  RawConnection extra(daemon.ingest_address(), kQuick);
  EXPECT_TRUE(Eventually([&] { return extra.ClosedByPeer(); }, std::chrono::seconds(5)));
  EXPECT_EQ(
      Metric(daemon, Labeled("atmwatch_ingest_limit_hits_total", "limit", "connections_per_ip")),
      1);
  for (auto& connection : open) EXPECT_FALSE(connection->ClosedByPeer());
  // A closed one frees its place.
  open.pop_back();
  client::ClientOptions options;
  options.address = daemon.ingest_address();
  options.source_id = "after-limit";
  EXPECT_TRUE(Eventually([&] { return SendWithdrawals(options, "ATM0001", 1).ok(); },
                         std::chrono::seconds(5)));
}

TEST(HttpSecurityTest, MetricsAndReportNeedAUser) {
  const ToolResult hash =
      RunTool({"openssl", "passwd", "-6", "-salt", "0123456789abcdef", "scrape-password"});
  ASSERT_EQ(hash.exit_code, 0) << hash.output;
  DaemonProcess daemon(std::string(kInventory) + "http:\n  basic_auth_users: {prometheus: \"" +
                       hash.output.substr(0, hash.output.find('\n')) + "\"}\n");
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  // The status of a GET with curl, as "401".
  auto get = [&](const std::string& path, const std::string& user) {
    std::vector<std::string> argv = {"curl", "-s",           "-o",         "/dev/null",
                                     "-w",   "%{http_code}", "--max-time", "5"};
    if (!user.empty()) {
      argv.push_back("-u");
      argv.push_back(user);
    }
    argv.push_back(daemon.http_base() + path);
    return RunTool(argv).output;
  };
  EXPECT_EQ(get("/healthz", ""), "200");
  EXPECT_EQ(get("/readyz", ""), "200");
  EXPECT_EQ(get("/metrics", ""), "401");
  EXPECT_EQ(get("/metrics", "prometheus:wrong"), "401");
  EXPECT_EQ(get("/metrics", "grafana:scrape-password"), "401");
  EXPECT_EQ(get("/v1/report?quarter=2010Q1", ""), "401");
  EXPECT_EQ(get("/metrics", "prometheus:scrape-password"), "200");

  const ToolResult scrape =
      RunTool({"curl", "-s", "-u", "prometheus:scrape-password", daemon.http_base() + "/metrics"});
  EXPECT_EQ(SampleValue(scrape.output, "atmwatch_http_unauthorized_total"), 4);
}

}  // namespace
}  // namespace atmwatch::testing
