#include "config/sections/http.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using ::testing::HasSubstr;

Status ReadText(const std::string& yaml, DaemonConfig::Http* http) {
  return ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadHttp(fields, root["http"], http);
  });
}

std::string ErrorOf(const std::string& yaml) {
  DaemonConfig::Http http;
  return ErrorText(ReadText(yaml, &http));
}

TEST(HttpSectionTest, SecurityKeysAreRead) {
  DaemonConfig::Http http;
  const Status status = ReadText(R"(
http:
  tls:
    cert_file: /etc/atmwatch/tls/http.crt
    key_file: /etc/atmwatch/tls/http.key
    client_ca_file: /etc/atmwatch/tls/scrapers-ca.crt
  basic_auth_users:
    prometheus: "$6$salt$hash"
)",
                                 &http);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(http.tls.enabled());
  EXPECT_EQ(http.tls.cert_file, "/etc/atmwatch/tls/http.crt");
  EXPECT_EQ(http.tls.key_file, "/etc/atmwatch/tls/http.key");
  EXPECT_EQ(http.tls.client_ca_file, "/etc/atmwatch/tls/scrapers-ca.crt");
  ASSERT_EQ(http.basic_auth_users.size(), 1u);
  EXPECT_EQ(http.basic_auth_users[0].first, "prometheus");
}

TEST(HttpSectionTest, ListenIsHostColonPort) {
  EXPECT_THAT(ErrorOf("http: {listen: localhost}"),
              HasSubstr("http.listen: 'localhost' is not HOST:PORT"));
}

TEST(HttpSectionTest, TlsIsReadLikeIngestTls) {
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

TEST(HttpSectionTest, HttpsFrontLimitsAreKeysOfHttpTls) {
  DaemonConfig::Http defaults;
  ASSERT_TRUE(ReadText("http:\n  tls: {cert_file: /a.crt, key_file: /a.key}\n", &defaults).ok());
  EXPECT_EQ(defaults.tls_limits.max_connections, 128u);
  EXPECT_EQ(defaults.tls_limits.handshake_timeout_ms, 10 * 1000);
  EXPECT_EQ(defaults.tls_limits.idle_timeout_ms, 60 * 1000);

  DaemonConfig::Http http;
  const Status status = ReadText(R"(
http:
  tls:
    cert_file: /a.crt
    key_file: /a.key
    max_connections: 512
    handshake_timeout: 3s
    idle_timeout: 2m
)",
                                 &http);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(http.tls_limits.max_connections, 512u);
  EXPECT_EQ(http.tls_limits.handshake_timeout_ms, 3000);
  EXPECT_EQ(http.tls_limits.idle_timeout_ms, 120 * 1000);

  const std::string tls = "http:\n  tls: {cert_file: /a.crt, key_file: /a.key, ";
  EXPECT_THAT(ErrorOf(tls + "max_connections: 0}\n"),
              HasSubstr("atmwatch.yaml:2: http.tls.max_connections:"));
  EXPECT_THAT(ErrorOf(tls + "handshake_timeout: soon}\n"),
              HasSubstr("http.tls.handshake_timeout: 'soon' is not a duration"));
  EXPECT_THAT(ErrorOf(tls + "idle_timeout: 0}\n"),
              HasSubstr("http.tls.idle_timeout: must be above 0"));
}

TEST(HttpSectionTest, BasicAuthTakesCryptHashesOnly) {
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
