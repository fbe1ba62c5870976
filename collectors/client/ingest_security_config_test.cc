#include "client/ingest_security_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>

#include "testing/test_pki.h"

namespace atmwatch::client {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// Certificates made once with the openssl CLI: a CA and two clients of it.
class IngestSecurityConfigTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new testing::TestPki();
    ready_ = pki_->MakeCa("ingest-ca") && pki_->MakeClient("radius-1", "ingest-ca", "radius-1") &&
             pki_->MakeClient("journal-1", "ingest-ca", "journal-1");
    std::ofstream(pki_->Path("radius-1.token")) << "7f3a9c\n";
    std::ofstream(pki_->Path("empty.token")) << "";
    std::ofstream(pki_->Path("not-pem.crt")) << "hello\n";
  }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(ready_) << pki_->error(); }

  static std::string Path(const std::string& name) { return pki_->Path(name); }

  // `ingest_body` is the indented body of an `ingest:` section.
  static Status Read(const std::string& ingest_body, IngestSecurity* out) {
    const config::FieldReader fields("collector.yaml");
    return config::ReadYaml("ingest:\n" + ingest_body, fields, [&](const YAML::Node& root) {
      return ReadIngestSecurity(fields, root["ingest"], "ingest", out);
    });
  }
  static std::string ErrorOf(const std::string& ingest_body) {
    IngestSecurity security;
    const Status status = Read(ingest_body, &security);
    return status.ok() ? "ok" : status.message();
  }

  static inline testing::TestPki* pki_ = nullptr;
  static inline bool ready_ = false;
};

TEST_F(IngestSecurityConfigTest, AbsentKeysMeanPlainTcpWithoutAToken) {
  IngestSecurity security;
  ASSERT_TRUE(Read("  address: 127.0.0.1:7420\n", &security).ok());
  EXPECT_FALSE(security.tls.enabled);
  EXPECT_EQ(security.auth_token, "");
  EXPECT_EQ(DescribeIngestSecurity(security), "plain TCP");
}

TEST_F(IngestSecurityConfigTest, ReadsTlsFilesAndTheTokenOfItsFile) {
  IngestSecurity security;
  const Status status = Read(
      "  tls:\n    ca_file: " + Path("ingest-ca.crt") + "\n    cert_file: " + Path("radius-1.crt") +
          "\n    key_file: " + Path("radius-1.key") +
          "\n    server_name: ingest.example\n  token_file: " + Path("radius-1.token") + "\n",
      &security);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(security.tls.enabled);
  EXPECT_EQ(security.tls.ca_file, Path("ingest-ca.crt"));
  EXPECT_EQ(security.tls.cert_file, Path("radius-1.crt"));
  EXPECT_EQ(security.tls.key_file, Path("radius-1.key"));
  EXPECT_EQ(security.tls.server_name, "ingest.example");
  EXPECT_EQ(security.auth_token, "7f3a9c");
  EXPECT_EQ(DescribeIngestSecurity(security), "TLS with a client certificate and a token");
}

TEST_F(IngestSecurityConfigTest, EmptyTlsMapTrustsTheSystemStore) {
  IngestSecurity security;
  ASSERT_TRUE(Read("  tls: {}\n", &security).ok());
  EXPECT_TRUE(security.tls.enabled);
  EXPECT_EQ(security.tls.ca_file, "");
  EXPECT_EQ(DescribeIngestSecurity(security), "TLS");
}

TEST_F(IngestSecurityConfigTest, TokenWithoutTlsIsSaidToTravelInClear) {
  IngestSecurity security;
  ASSERT_TRUE(Read("  token_file: " + Path("radius-1.token") + "\n", &security).ok());
  EXPECT_EQ(DescribeIngestSecurity(security), "plain TCP with a token (in clear)");
}

TEST_F(IngestSecurityConfigTest, MissingFileIsNamedWithItsKeyAndLine) {
  EXPECT_THAT(ErrorOf("  tls:\n    ca_file: " + Path("nowhere.crt") + "\n"),
              AllOf(HasSubstr("collector.yaml:3: ingest.tls.ca_file: cannot read '" +
                              Path("nowhere.crt") + "': No such file or directory"),
                    HasSubstr("give a file the collector's user can read")));
  EXPECT_THAT(ErrorOf("  token_file: " + Path("nowhere.token") + "\n"),
              HasSubstr("collector.yaml:2: ingest.token_file: cannot read '" +
                        Path("nowhere.token") + "'"));
}

TEST_F(IngestSecurityConfigTest, DirectoryIsNotAFile) {
  EXPECT_THAT(ErrorOf("  tls:\n    ca_file: " + pki_->dir() + "\n"),
              HasSubstr("ingest.tls.ca_file: '" + pki_->dir() + "' is not a regular file"));
}

TEST_F(IngestSecurityConfigTest, CertificateWithoutKeyAndKeyWithoutCertificateAreNamed) {
  EXPECT_THAT(ErrorOf("  tls:\n    cert_file: " + Path("radius-1.crt") + "\n"),
              HasSubstr("collector.yaml:3: ingest.tls.cert_file: is set without "
                        "ingest.tls.key_file; a client certificate needs its key"));
  EXPECT_THAT(ErrorOf("  tls:\n    key_file: " + Path("radius-1.key") + "\n"),
              HasSubstr("ingest.tls.key_file: is set without ingest.tls.cert_file"));
}

TEST_F(IngestSecurityConfigTest, KeyOfAnotherCertificateIsRefused) {
  EXPECT_THAT(
      ErrorOf("  tls:\n    cert_file: " + Path("radius-1.crt") +
              "\n    key_file: " + Path("journal-1.key") + "\n"),
      AllOf(HasSubstr("collector.yaml:3: ingest.tls.cert_file: cannot use the client key '" +
                      Path("journal-1.key") + "'"),
            HasSubstr("the key that belongs to it")));
}

TEST_F(IngestSecurityConfigTest, CaFileThatIsNotPemIsRefused) {
  EXPECT_THAT(ErrorOf("  tls:\n    ca_file: " + Path("not-pem.crt") + "\n"),
              AllOf(HasSubstr("collector.yaml:3: ingest.tls.ca_file: cannot read the CA file '" +
                              Path("not-pem.crt") + "'"),
                    HasSubstr("give the PEM certificate of the daemon's CA")));
}

TEST_F(IngestSecurityConfigTest, EmptyTokenFileIsNamed) {
  EXPECT_THAT(ErrorOf("  token_file: " + Path("empty.token") + "\n"),
              HasSubstr("collector.yaml:2: ingest.token_file: '" + Path("empty.token") +
                        "' is empty: the token is its first line"));
}

TEST_F(IngestSecurityConfigTest, EmptyValuesAndUnknownKeysAreErrors) {
  EXPECT_THAT(ErrorOf("  token_file:\n"),
              HasSubstr("ingest.token_file: must not be empty; write e.g. "
                        "/etc/atmwatch/collector.token"));
  EXPECT_THAT(ErrorOf("  tls:\n    ca_fle: x\n"),
              HasSubstr("ingest.tls.ca_fle: unknown key; did you mean 'ca_file'?"));
  EXPECT_THAT(ErrorOf("  tls: true\n"), HasSubstr("ingest.tls: expected a map"));
}

}  // namespace
}  // namespace atmwatch::client
