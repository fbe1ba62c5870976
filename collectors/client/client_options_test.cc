#include "client/client_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

#include "testing/temp_dir.h"

namespace atmwatch::client {
namespace {

using ::testing::HasSubstr;

Status Read(const std::string& yaml, IngestConfig* out) {
  const config::FieldReader fields("collector.yaml");
  return config::ReadYaml(yaml, fields, [&](const YAML::Node& root) {
    return ReadIngestConfig(fields, root["ingest"], "radius-tokyo-1", out);
  });
}

std::string ErrorOf(const std::string& yaml) {
  IngestConfig config;
  const Status status = Read(yaml, &config);
  return status.ok() ? "ok" : status.message();
}

TEST(IngestConfigTest, ReadsAddressAndSourceIdKeepingWhatIsAbsent) {
  IngestConfig config;
  config.source_id = "default-id";
  ASSERT_TRUE(Read("ingest: {address: '10.0.0.9:7420'}\n", &config).ok());
  EXPECT_EQ(config.address, "10.0.0.9:7420");
  EXPECT_EQ(config.source_id, "default-id");
  EXPECT_FALSE(config.security.tls.enabled);
  ASSERT_TRUE(Read("ingest: {source_id: radius-1}\n", &config).ok());
  EXPECT_EQ(config.address, "10.0.0.9:7420");
  EXPECT_EQ(config.source_id, "radius-1");
}

TEST(IngestConfigTest, RefusesUnknownKeysEmptyValuesAndLongSourceIds) {
  EXPECT_THAT(ErrorOf("ingest: {adress: x}\n"),
              HasSubstr("did you mean 'address'? known keys here: address, source_id, tls, "
                        "token_file"));
  EXPECT_THAT(ErrorOf("ingest: {address: ''}\n"), HasSubstr("collector.yaml:1: ingest.address"));
  EXPECT_THAT(ErrorOf("ingest: {source_id: ''}\n"), HasSubstr("radius-tokyo-1"));
  EXPECT_THAT(ErrorOf("ingest: {source_id: " + std::string(129, 'a') + "}\n"),
              HasSubstr("ingest.source_id: has 129 bytes; use at most 128"));
  EXPECT_EQ(ErrorOf("ingest: {source_id: " + std::string(128, 'a') + "}\n"), "ok");
}

TEST(IngestConfigTest, AFailedReadLeavesTheConfigAsItWas) {
  IngestConfig config;
  EXPECT_FALSE(Read("ingest: {address: '10.0.0.9:7420', source_id: ''}\n", &config).ok());
  EXPECT_EQ(config.address, "127.0.0.1:7420");
}

TEST(ClientOptionsForTest, TakesAddressSourceAndCredentialsKeepingTheClientsDefaults) {
  IngestConfig ingest;
  ingest.address = "10.0.0.9:7420";
  ingest.source_id = "radius-1";
  ingest.security.tls.enabled = true;
  ingest.security.tls.ca_file = "/etc/atmwatch/ca.crt";
  ingest.security.auth_token = "7f3a9c";
  ingest.security.token_file = "/etc/atmwatch/radius-1.token";
  const ClientOptions options = ClientOptionsFor(ingest);
  EXPECT_EQ(options.address, "10.0.0.9:7420");
  EXPECT_EQ(options.source_id, "radius-1");
  EXPECT_TRUE(options.tls.enabled);
  EXPECT_EQ(options.tls.ca_file, "/etc/atmwatch/ca.crt");
  EXPECT_EQ(options.auth_token, "7f3a9c");
  EXPECT_EQ(options.auth_token_file, "/etc/atmwatch/radius-1.token");
  const ClientOptions defaults;
  EXPECT_EQ(options.max_batch_events, defaults.max_batch_events);
  EXPECT_EQ(options.first_seq, defaults.first_seq);
  EXPECT_EQ(options.ack_timeout, defaults.ack_timeout);
}

TEST(IngestSecurityFromFlagsTest, ReadsTheTokenNowAndFailsOnAnUnreadableFile) {
  const atmwatch::testing::TempDir dir("client-options-test");
  const std::filesystem::path token = dir.Join("client.token");
  std::ofstream(token) << "7f3a9c\nignored\n";
  ClientTlsOptions tls;
  tls.enabled = true;
  IngestSecurity security;
  ASSERT_TRUE(IngestSecurityFromFlags(tls, token.string(), &security).ok());
  EXPECT_TRUE(security.tls.enabled);
  EXPECT_EQ(security.auth_token, "7f3a9c");
  EXPECT_EQ(security.token_file, token.string());
  std::filesystem::remove(token);

  EXPECT_FALSE(IngestSecurityFromFlags(tls, token.string(), &security).ok());
  ASSERT_TRUE(IngestSecurityFromFlags({}, "", &security).ok());
  EXPECT_FALSE(security.tls.enabled);
  EXPECT_EQ(security.auth_token, "");
  EXPECT_EQ(security.token_file, "");
}

}  // namespace
}  // namespace atmwatch::client
