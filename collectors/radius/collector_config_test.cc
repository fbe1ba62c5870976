#include "radius/collector_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "testing/temp_dir.h"

namespace atmwatch::radius {
namespace {

using ::testing::HasSubstr;

Status Parse(const std::string& yaml, CollectorConfig* config) {
  return ParseCollectorConfig(yaml, "radius.yaml", config);
}

TEST(CollectorConfigTest, EmptyFileKeepsTheDefaults) {
  CollectorConfig config;
  ASSERT_TRUE(Parse("", &config).ok());
  EXPECT_EQ(config.listen, "127.0.0.1:1813");
  EXPECT_EQ(config.metrics_listen, "127.0.0.1:9743");
  EXPECT_EQ(config.ingest.address, "127.0.0.1:7420");
  EXPECT_TRUE(config.clients.empty());
}

TEST(CollectorConfigTest, ReadsEveryKey) {
  CollectorConfig config;
  const Status status = Parse(R"(
listen: "0.0.0.0:1813"
metrics_listen: "127.0.0.1:19743"
ingest: {address: "10.0.0.9:7420", source_id: radius-tokyo-1}
clients:
  - {address: 10.1.0.7, secret: "s3cr3t", carrier: docomo}
  - {address: "::1", secret: other}
nas_carriers:
  kddi-pgw2: kddi
queue_capacity: 500
duplicate_window: 2m
max_tracked_lines: 1000
log_level: debug
)",
                              &config);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(config.listen, "0.0.0.0:1813");
  EXPECT_EQ(config.ingest.address, "10.0.0.9:7420");
  EXPECT_EQ(config.ingest.source_id, "radius-tokyo-1");
  ASSERT_EQ(config.clients.size(), 2u);
  EXPECT_EQ(config.clients[0].address, "10.1.0.7");
  EXPECT_EQ(config.clients[0].carrier, "docomo");
  EXPECT_EQ(config.clients[1].address, "::1");
  EXPECT_EQ(config.queue_capacity, 500u);
  EXPECT_EQ(config.duplicate_window, std::chrono::minutes(2));
  EXPECT_EQ(config.max_tracked_lines, 1000u);
  EXPECT_EQ(config.log_level, "debug");

  EXPECT_EQ(CarrierFor(config, config.clients[0], "kddi-pgw2"), "kddi");
  EXPECT_EQ(CarrierFor(config, config.clients[0], "unlisted"), "docomo");
  EXPECT_EQ(CarrierFor(config, config.clients[1], "unlisted"), "");
}

TEST(CollectorConfigTest, ReadsTheSignalAttribute) {
  CollectorConfig config;
  EXPECT_FALSE(config.signal_attribute.has_value());
  const Status status = Parse("signal_attribute: {vendor: 10415, type: 200}\n", &config);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(config.signal_attribute, (VendorAttribute{10415, 200}));
}

TEST(CollectorConfigTest, SignalAttributeMistakesNameTheKey) {
  CollectorConfig config;
  Status status = Parse("signal_attribute: {vendr: 10415, type: 200}\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("radius.yaml:1: signal_attribute.vendr: unknown key"));
  EXPECT_THAT(status.message(), HasSubstr("vendor"));

  status = Parse("signal_atribute: {vendor: 10415, type: 200}\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("radius.yaml:1: signal_atribute: unknown key"));
  EXPECT_THAT(status.message(), HasSubstr("signal_attribute"));

  status = Parse("signal_attribute: {vendor: 10415}\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("signal_attribute: needs a vendor and a type"));

  status = Parse("signal_attribute: {vendor: 10415, type: 256}\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(),
              HasSubstr("signal_attribute.type: 256 is out of range; use 1..255"));

  status = Parse("signal_attribute: {vendor: 16777216, type: 1}\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("signal_attribute.vendor: "));
  EXPECT_FALSE(config.signal_attribute.has_value());
}

TEST(CollectorConfigTest, UnknownKeyNamesFileLineAndTheKnownKeys) {
  CollectorConfig config;
  const Status status = Parse("listen: \"127.0.0.1:1813\"\nqueue_capacty: 5\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("radius.yaml:2: queue_capacty: unknown key"));
  EXPECT_THAT(status.message(), HasSubstr("queue_capacity"));
}

TEST(CollectorConfigTest, UnknownKeysAndABadValueAreReportedTogether) {
  CollectorConfig config;
  const Status status = Parse(
      "queue_capacty: 5\nclients:\n  - {address: nas.example, secret: x}\nlisen: x\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("radius.yaml:1: queue_capacty: unknown key"));
  EXPECT_THAT(status.message(), HasSubstr("\nradius.yaml:3: clients[0].address: "));
  EXPECT_THAT(status.message(), HasSubstr("\nradius.yaml:4: lisen: unknown key"));
}

TEST(CollectorConfigTest, ClientNeedsAnIpAddressAndASecret) {
  CollectorConfig config;
  Status status = Parse("clients:\n  - {address: nas.example, secret: x}\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("radius.yaml:2: clients[0].address: "));
  EXPECT_THAT(status.message(), HasSubstr("not an IP address"));

  status = Parse("clients:\n  - {address: 10.0.0.1}\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("has no secret"));

  status = Parse("clients:\n  - {address: 10.0.0.1, secret: \"\"}\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("radius.yaml:2: clients[0].secret: must not be empty"));
}

TEST(CollectorConfigTest, SameClientTwiceIsAnError) {
  CollectorConfig config;
  const Status status =
      Parse("clients:\n  - {address: 10.0.0.1, secret: a}\n  - {address: 10.0.0.1, secret: b}\n",
            &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("radius.yaml:3: clients[1].address: "));
  EXPECT_THAT(status.message(), HasSubstr("listed twice"));
}

TEST(CollectorConfigTest, BadNumbersAndDurationsSayHowToFixThem) {
  CollectorConfig config;
  Status status = Parse("queue_capacity: lots\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("radius.yaml:1: queue_capacity: "));
  EXPECT_THAT(status.message(), HasSubstr("not a whole number"));

  status = Parse("queue_capacity: 0\n", &config);
  EXPECT_THAT(status.message(), HasSubstr("must be at least 1"));

  status = Parse("duplicate_window: 30\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("write e.g. 30s"));

  status = Parse("log_level: loud\n", &config);
  EXPECT_THAT(status.message(), HasSubstr("not a level"));
}

TEST(CollectorConfigTest, InvalidYamlNamesTheLine) {
  CollectorConfig config;
  const Status status = Parse("listen: [\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("radius.yaml:2: not valid YAML"));
  EXPECT_THAT(status.message(), HasSubstr("not valid YAML"));
}

TEST(CollectorConfigTest, FailedParseLeavesTheConfigAlone) {
  CollectorConfig config;
  ASSERT_FALSE(Parse("listen: \"1.2.3.4:5\"\nbogus: 1\n", &config).ok());
  EXPECT_EQ(config.listen, "127.0.0.1:1813");
}

TEST(CollectorConfigTest, SecretFlagSetsTheLoopbackClient) {
  CollectorConfig config;
  SetLoopbackSecret("one", &config);
  ASSERT_EQ(config.clients.size(), 1u);
  EXPECT_EQ(config.clients[0].address, "127.0.0.1");
  SetLoopbackSecret("two", &config);
  ASSERT_EQ(config.clients.size(), 1u);
  EXPECT_EQ(config.clients[0].secret, "two");
}

TEST(CollectorConfigTest, IngestTakesTlsAndATokenFile) {
  const atmwatch::testing::TempDir dir("radius-config-test");
  const std::string token_file = dir.Join("radius.token");
  std::ofstream(token_file) << "radius-token\n";
  CollectorConfig config;
  const Status status = Parse(
      "ingest:\n  source_id: radius-1\n  tls: {}\n  token_file: " + token_file + "\n", &config);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(config.ingest.security.tls.enabled);
  EXPECT_EQ(config.ingest.security.tls.ca_file, "");  // the system's trust store
  EXPECT_EQ(config.ingest.security.auth_token, "radius-token");
}

TEST(CollectorConfigTest, MissingTokenFileIsNamedWithItsKey) {
  CollectorConfig config;
  const Status status = Parse("ingest:\n  token_file: /nonexistent/radius.token\n", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(
      status.message(),
      HasSubstr("radius.yaml:2: ingest.token_file: cannot read '/nonexistent/radius.token'"));
}

TEST(CollectorConfigTest, MissingFileIsAnError) {
  CollectorConfig config;
  const Status status = LoadCollectorConfigFile("/nonexistent/radius.yaml", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("cannot read"));
}

}  // namespace
}  // namespace atmwatch::radius
