// The security sections of atmwatchd's config: ingest.tls, ingest.sources,
// the connection limits, http.tls and http.basic_auth_users.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/daemon_config.h"

namespace atmwatch::config {
namespace {

using ::testing::HasSubstr;

constexpr const char* kDigest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

std::string ErrorOf(const std::string& yaml) {
  DaemonConfig config;
  const Status status = ParseConfig(yaml, "atmwatch.yaml", &config);
  return status.ok() ? "ok" : status.message();
}

TEST(SecurityConfigTest, DefaultsArePlainLoopbackWithBoundedConnections) {
  DaemonConfig config;
  ASSERT_TRUE(ParseConfig("", "atmwatch.yaml", &config).ok());
  EXPECT_FALSE(config.ingest.tls.enabled());
  EXPECT_TRUE(config.ingest.sources.empty());
  EXPECT_FALSE(config.ingest.require_known_sources);
  EXPECT_EQ(config.ingest.max_connections_per_ip, 64u);
  EXPECT_EQ(config.ingest.idle_timeout_ms, 5 * 60 * 1000);
  EXPECT_EQ(config.ingest.frame_timeout_ms, 30 * 1000);
  EXPECT_EQ(config.ingest.write_timeout_ms, 30 * 1000);
  EXPECT_EQ(config.ingest.max_string_bytes, 256u);
  EXPECT_EQ(config.ingest.max_inflight_batches, 64u);
  EXPECT_FALSE(config.http.tls.enabled());
  EXPECT_TRUE(config.http.basic_auth_users.empty());
}

TEST(SecurityConfigTest, FullSectionsAreRead) {
  DaemonConfig config;
  const Status status = ParseConfig(std::string(R"(
ingest:
  tls:
    cert_file: /etc/atmwatch/tls/ingest.crt
    key_file: /etc/atmwatch/tls/ingest.key
    client_ca_file: /etc/atmwatch/tls/sources-ca.crt
  sources:
    - source_id: radius-tokyo-1
      cert_subject: "CN=radius-tokyo-1"
    - source_id: finance-ledger
      token_sha256: ")") + "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08" +
                                        R"("
    - source_id: journal-osaka
  require_known_sources: true
  max_connections_per_ip: 8
  idle_timeout: 2m
  frame_timeout: 5s
  write_timeout: 10s
  max_string_bytes: 64
  max_inflight_batches: 8
http:
  tls:
    cert_file: /etc/atmwatch/tls/http.crt
    key_file: /etc/atmwatch/tls/http.key
    client_ca_file: /etc/atmwatch/tls/scrapers-ca.crt
  basic_auth_users:
    prometheus: "$6$salt$hash"
)",
                                    "atmwatch.yaml", &config);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(config.ingest.tls.client_ca_file, "/etc/atmwatch/tls/sources-ca.crt");
  ASSERT_EQ(config.ingest.sources.size(), 3u);
  EXPECT_EQ(config.ingest.sources[0].cert_subject, "CN=radius-tokyo-1");
  EXPECT_EQ(config.ingest.sources[1].token_sha256, kDigest);  // lower-cased
  EXPECT_EQ(config.ingest.sources[2].source_id, "journal-osaka");
  EXPECT_TRUE(config.ingest.require_known_sources);
  EXPECT_EQ(config.ingest.max_connections_per_ip, 8u);
  EXPECT_EQ(config.ingest.idle_timeout_ms, 120000);
  EXPECT_EQ(config.ingest.frame_timeout_ms, 5000);
  EXPECT_EQ(config.ingest.write_timeout_ms, 10000);
  EXPECT_EQ(config.ingest.max_string_bytes, 64u);
  EXPECT_EQ(config.ingest.max_inflight_batches, 8u);
  EXPECT_TRUE(config.http.tls.enabled());
  EXPECT_EQ(config.http.tls.cert_file, "/etc/atmwatch/tls/http.crt");
  EXPECT_EQ(config.http.tls.key_file, "/etc/atmwatch/tls/http.key");
  EXPECT_EQ(config.http.tls.client_ca_file, "/etc/atmwatch/tls/scrapers-ca.crt");
  ASSERT_EQ(config.http.basic_auth_users.size(), 1u);
  EXPECT_EQ(config.http.basic_auth_users[0].first, "prometheus");
}

TEST(SecurityConfigTest, TlsNeedsBothCertificateAndKey) {
  EXPECT_EQ(ErrorOf("ingest:\n  tls: {cert_file: /a.crt}\n"),
            "atmwatch.yaml:2: ingest.tls.key_file: is required with TLS; write the PEM file's "
            "path, e.g. /etc/atmwatch/tls/ingest.key");
  EXPECT_THAT(ErrorOf("ingest:\n  tls: {cert_file: /a.crt, key_file: /a.key, ca: /ca.crt}\n"),
              HasSubstr("atmwatch.yaml:2: ingest.tls.ca: unknown key; known keys here: cert_file, "
                        "key_file, client_ca_file"));
}

TEST(SecurityConfigTest, HttpTlsIsReadLikeIngestTls) {
  DaemonConfig config;
  const Status status = ParseConfig("http:\n  tls: {cert_file: /a.crt, key_file: /a.key}\n",
                                    "atmwatch.yaml", &config);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(config.http.tls.enabled());
  EXPECT_TRUE(config.http.tls.client_ca_file.empty());
  EXPECT_FALSE(config.ingest.tls.enabled());

  EXPECT_EQ(ErrorOf("http:\n  tls: {key_file: /a.key}\n"),
            "atmwatch.yaml:2: http.tls.cert_file: is required with TLS; write the PEM file's "
            "path, e.g. /etc/atmwatch/tls/http.crt");
  EXPECT_THAT(ErrorOf("http:\n  tls: {cert_file: /a.crt, key_file: /a.key, ca_file: /ca.crt}\n"),
              HasSubstr("atmwatch.yaml:2: http.tls.ca_file: unknown key; known keys here: "
                        "cert_file, key_file, client_ca_file"));
  EXPECT_THAT(ErrorOf("http:\n  tls: {cert_file: \"\", key_file: /a.key}\n"),
              HasSubstr("atmwatch.yaml:2: http.tls.cert_file:"));
  EXPECT_THAT(ErrorOf("http:\n  tls: /etc/atmwatch/tls/http.crt\n"),
              HasSubstr("atmwatch.yaml:2: http.tls:"));
}

TEST(SecurityConfigTest, HttpsFrontLimitsAreKeysOfHttpTls) {
  DaemonConfig defaults;
  ASSERT_TRUE(ParseConfig("http:\n  tls: {cert_file: /a.crt, key_file: /a.key}\n", "atmwatch.yaml",
                          &defaults)
                  .ok());
  EXPECT_EQ(defaults.http.tls_limits.max_connections, 128u);
  EXPECT_EQ(defaults.http.tls_limits.handshake_timeout_ms, 10 * 1000);
  EXPECT_EQ(defaults.http.tls_limits.idle_timeout_ms, 60 * 1000);

  DaemonConfig config;
  const Status status = ParseConfig(R"(
http:
  tls:
    cert_file: /a.crt
    key_file: /a.key
    max_connections: 512
    handshake_timeout: 3s
    idle_timeout: 2m
)",
                                    "atmwatch.yaml", &config);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(config.http.tls_limits.max_connections, 512u);
  EXPECT_EQ(config.http.tls_limits.handshake_timeout_ms, 3000);
  EXPECT_EQ(config.http.tls_limits.idle_timeout_ms, 120 * 1000);

  const std::string tls = "http:\n  tls: {cert_file: /a.crt, key_file: /a.key, ";
  EXPECT_THAT(ErrorOf(tls + "max_connections: 0}\n"),
              HasSubstr("atmwatch.yaml:2: http.tls.max_connections:"));
  EXPECT_THAT(ErrorOf(tls + "handshake_timeout: soon}\n"),
              HasSubstr("http.tls.handshake_timeout: 'soon' is not a duration"));
  EXPECT_THAT(ErrorOf(tls + "idle_timeout: 0}\n"),
              HasSubstr("http.tls.idle_timeout: must be above 0"));
  // The front's limits belong to HTTPS: ingest.tls has its own keys for them.
  EXPECT_THAT(ErrorOf("ingest:\n  tls: {cert_file: /a.crt, key_file: /a.key, "
                      "max_connections: 5}\n"),
              HasSubstr("ingest.tls.max_connections: unknown key"));
}

TEST(SecurityConfigTest, CertSubjectNeedsClientCertificates) {
  EXPECT_THAT(ErrorOf(R"(
ingest:
  tls: {cert_file: /a.crt, key_file: /a.key}
  sources:
    - {source_id: radius-tokyo-1, cert_subject: "CN=radius-tokyo-1"}
)"),
              HasSubstr("atmwatch.yaml:5: ingest.sources[0].cert_subject: needs client "
                        "certificates, which the daemon asks for only with "
                        "ingest.tls.client_ca_file"));
}

TEST(SecurityConfigTest, TokenMustBeGivenAsItsDigest) {
  EXPECT_THAT(ErrorOf("ingest:\n  sources:\n    - {source_id: ledger, token_sha256: hunter2}\n"),
              HasSubstr("atmwatch.yaml:3: ingest.sources[0].token_sha256: is not a SHA-256 in "
                        "hex (64 digits)"));
  // The refused value is not quoted back: it may be the token itself.
  EXPECT_THAT(ErrorOf("ingest:\n  sources:\n    - {source_id: ledger, token_sha256: hunter2}\n"),
              ::testing::Not(HasSubstr("hunter2")));
}

TEST(SecurityConfigTest, SourcesNeedAnIdListedOnce) {
  EXPECT_THAT(ErrorOf("ingest:\n  sources:\n    - {cert_subject: x}\n"),
              HasSubstr("atmwatch.yaml:3: ingest.sources[0].source_id: every source needs its "
                        "source_id"));
  EXPECT_THAT(ErrorOf(std::string("ingest:\n  sources:\n    - {source_id: a, token_sha256: ") +
                      kDigest + "}\n    - {source_id: a}\n"),
              HasSubstr("atmwatch.yaml:4: ingest.sources[1].source_id: 'a' is listed twice"));
  EXPECT_THAT(ErrorOf("ingest:\n  sources: {source_id: a}\n"),
              HasSubstr("atmwatch.yaml:2: ingest.sources:"));
  EXPECT_THAT(ErrorOf("ingest:\n  sources:\n    - {source_id: a, token: x}\n"),
              HasSubstr("atmwatch.yaml:3: ingest.sources[0].token: unknown key; known keys here: "
                        "source_id, cert_subject, token_sha256"));
}

TEST(SecurityConfigTest, LimitsAreChecked) {
  EXPECT_THAT(ErrorOf("ingest: {idle_timeout: 0}\n"),
              HasSubstr("atmwatch.yaml:1: ingest.idle_timeout: must be above 0"));
  EXPECT_THAT(ErrorOf("ingest: {frame_timeout: soon}\n"),
              HasSubstr("ingest.frame_timeout: 'soon' is not a duration"));
  EXPECT_THAT(ErrorOf("ingest: {max_connections_per_ip: -1}\n"),
              HasSubstr("ingest.max_connections_per_ip:"));
  EXPECT_THAT(ErrorOf("ingest: {write_timeout: 0}\n"),
              HasSubstr("ingest.write_timeout: must be above 0"));
  EXPECT_THAT(ErrorOf("ingest: {max_inflight_batches: 0}\n"),
              HasSubstr("ingest.max_inflight_batches:"));
  EXPECT_THAT(ErrorOf("ingest: {max_string_bytes: 100000}\n"),
              HasSubstr("ingest.max_string_bytes:"));
  EXPECT_THAT(ErrorOf("ingest: {require_known_sources: maybe}\n"),
              HasSubstr("ingest.require_known_sources:"));
}

TEST(SecurityConfigTest, BasicAuthTakesCryptHashesOnly) {
  EXPECT_EQ(ErrorOf("http:\n  basic_auth_users: {prometheus: \"$6$salt$hash\"}\n"), "ok");
  const std::string plain = ErrorOf("http:\n  basic_auth_users: {prometheus: s3cret}\n");
  EXPECT_THAT(plain, HasSubstr("atmwatch.yaml:2: http.basic_auth_users.prometheus: is not a "
                               "crypt(3) password hash"));
  EXPECT_THAT(plain, ::testing::Not(HasSubstr("s3cret")));
  EXPECT_THAT(ErrorOf("http:\n  basic_auth_users: [prometheus]\n"),
              HasSubstr("http.basic_auth_users: must be a map of user: password hash"));
}

}  // namespace
}  // namespace atmwatch::config
