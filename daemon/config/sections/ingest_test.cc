#include "config/sections/ingest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using ::testing::HasSubstr;

constexpr const char* kDigest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

Status ReadText(const std::string& yaml, DaemonConfig::Ingest* ingest) {
  return ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadIngest(fields, root["ingest"], ingest);
  });
}

std::string ErrorOf(const std::string& yaml) {
  DaemonConfig::Ingest ingest;
  return ErrorText(ReadText(yaml, &ingest));
}

TEST(IngestSectionTest, ListenAndLimitsAreRead) {
  DaemonConfig::Ingest ingest;
  const Status status = ReadText(
      "ingest: {listen: \"127.0.0.1:17420\", max_frame_bytes: 1MiB, max_event_age: 0, "
      "max_unknown_atms: 5, max_sources: 50}\n",
      &ingest);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(ingest.listen, "127.0.0.1:17420");
  EXPECT_EQ(ingest.max_frame_bytes, 1u << 20);
  EXPECT_EQ(ingest.max_event_age_ms, 0);
  EXPECT_EQ(ingest.max_unknown_atms, 5u);
  EXPECT_EQ(ingest.max_sources, 50u);
}

TEST(IngestSectionTest, SecurityKeysAreRead) {
  DaemonConfig::Ingest ingest;
  const Status status = ReadText(std::string(R"(
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
)",
                                 &ingest);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(ingest.tls.client_ca_file, "/etc/atmwatch/tls/sources-ca.crt");
  ASSERT_EQ(ingest.sources.size(), 3u);
  EXPECT_EQ(ingest.sources[0].cert_subject, "CN=radius-tokyo-1");
  EXPECT_EQ(ingest.sources[1].token_sha256, kDigest);  // lower-cased
  EXPECT_EQ(ingest.sources[2].source_id, "journal-osaka");
  EXPECT_TRUE(ingest.require_known_sources);
  EXPECT_EQ(ingest.max_connections_per_ip, 8u);
  EXPECT_EQ(ingest.idle_timeout_ms, 120000);
  EXPECT_EQ(ingest.frame_timeout_ms, 5000);
  EXPECT_EQ(ingest.write_timeout_ms, 10000);
  EXPECT_EQ(ingest.max_string_bytes, 64u);
  EXPECT_EQ(ingest.max_inflight_batches, 8u);
}

TEST(IngestSectionTest, NestedTypoNamesTheFullPath) {
  EXPECT_THAT(ErrorOf("ingest:\n  max_frame_byte: 10\n"),
              HasSubstr("atmwatch.yaml:2: ingest.max_frame_byte: unknown key; did you mean "
                        "'max_frame_bytes'?"));
}

TEST(IngestSectionTest, BadValuesNameKeyAndFix) {
  EXPECT_THAT(ErrorOf("ingest: {max_event_age: 40x}"),
              HasSubstr("ingest.max_event_age: '40x' is not a duration; write e.g. 400d"));
  EXPECT_THAT(ErrorOf("ingest: {max_frame_bytes: 4MB}"),
              HasSubstr("ingest.max_frame_bytes: '4MB' is not a byte size"));
}

TEST(IngestSectionTest, TlsNeedsBothCertificateAndKey) {
  EXPECT_EQ(ErrorOf("ingest:\n  tls: {cert_file: /a.crt}\n"),
            "atmwatch.yaml:2: ingest.tls.key_file: is required with TLS; write the PEM file's "
            "path, e.g. /etc/atmwatch/tls/ingest.key");
  EXPECT_THAT(ErrorOf("ingest:\n  tls: {cert_file: /a.crt, key_file: /a.key, ca: /ca.crt}\n"),
              HasSubstr("atmwatch.yaml:2: ingest.tls.ca: unknown key; known keys here: cert_file, "
                        "key_file, client_ca_file"));
}

// The HTTPS front's limits belong to http.tls: ingest.tls has its own keys
// for them.
TEST(IngestSectionTest, TlsHasNoHttpsFrontLimits) {
  EXPECT_THAT(ErrorOf("ingest:\n  tls: {cert_file: /a.crt, key_file: /a.key, "
                      "max_connections: 5}\n"),
              HasSubstr("ingest.tls.max_connections: unknown key"));
}

TEST(IngestSectionTest, CertSubjectNeedsClientCertificates) {
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

TEST(IngestSectionTest, TokenMustBeGivenAsItsDigest) {
  EXPECT_THAT(ErrorOf("ingest:\n  sources:\n    - {source_id: ledger, token_sha256: hunter2}\n"),
              HasSubstr("atmwatch.yaml:3: ingest.sources[0].token_sha256: is not a SHA-256 in "
                        "hex (64 digits)"));
  // The refused value is not quoted back: it may be the token itself.
  EXPECT_THAT(ErrorOf("ingest:\n  sources:\n    - {source_id: ledger, token_sha256: hunter2}\n"),
              ::testing::Not(HasSubstr("hunter2")));
}

TEST(IngestSectionTest, SourcesNeedAnIdListedOnce) {
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

TEST(IngestSectionTest, LimitsAreChecked) {
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

}  // namespace
}  // namespace atmwatch::config
