#include "journal/collector_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "testing/temp_dir.h"

namespace atmwatch::journal {
namespace {

using namespace std::chrono_literals;

TEST(JournalConfig, EveryKeyIsRead) {
  JournalConfig config;
  const Status status = ParseJournalConfig(R"(
path: "/spool/*.csv"
state_file: /var/lib/j/state
metrics_listen: "127.0.0.1:1"
ingest: {address: "10.0.0.1:7420", source_id: host-a}
poll_interval: 2s
batch_events: 50
max_in_flight: 3
log_level: debug
)",
                                           "journal.yaml", &config);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(config.path, "/spool/*.csv");
  EXPECT_EQ(config.state_file, "/var/lib/j/state");
  EXPECT_EQ(config.metrics_listen, "127.0.0.1:1");
  EXPECT_EQ(config.ingest.address, "10.0.0.1:7420");
  EXPECT_EQ(config.ingest.source_id, "host-a");
  EXPECT_EQ(config.poll_interval, 2000ms);
  EXPECT_EQ(config.batch_events, 50u);
  EXPECT_EQ(config.max_in_flight, 3u);
  EXPECT_EQ(config.log_level, "debug");
}

TEST(JournalConfig, EmptyFileKeepsDefaults) {
  JournalConfig config;
  ASSERT_TRUE(ParseJournalConfig("", "journal.yaml", &config).ok());
  EXPECT_EQ(config.metrics_listen, "127.0.0.1:9744");
  EXPECT_EQ(config.poll_interval, 250ms);
}

TEST(JournalConfig, UnknownKeyNamesFileLinePathAndSuggestion) {
  JournalConfig config;
  const Status status =
      ParseJournalConfig("path: x\ningest:\n  adress: 1.2.3.4:1\n", "journal.yaml", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(),
            "journal.yaml:3: ingest.adress: unknown key; did you mean 'address'? known keys "
            "here: address, source_id, tls, token_file");
}

// A token file of its own per test, removed at the end.
class JournalConfigToken : public ::testing::Test {
 protected:
  void SetUp() override { std::ofstream(token_file_) << "journal-token\n"; }

  atmwatch::testing::TempDir dir_{"journal-config-test"};
  const std::string token_file_ = dir_.Join("journal.token");
};

TEST_F(JournalConfigToken, TlsAndTokenFileOfTheIngestSectionAreRead) {
  JournalConfig config;
  const Status status = ParseJournalConfig(
      "ingest:\n  address: ingest.example:7420\n  tls: {server_name: ingest.example}\n"
      "  token_file: " +
          token_file_ + "\n",
      "journal.yaml", &config);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(config.ingest.security.tls.enabled);
  EXPECT_EQ(config.ingest.security.tls.server_name, "ingest.example");
  EXPECT_EQ(config.ingest.security.auth_token, "journal-token");
}

TEST_F(JournalConfigToken, UnreadableTlsFileIsNamedWithItsKey) {
  JournalConfig config;
  const Status status = ParseJournalConfig("path: x\ningest:\n  token_file: " + token_file_ +
                                               "\n  tls:\n    ca_file: /nonexistent/ca.crt\n",
                                           "journal.yaml", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("journal.yaml:5: ingest.tls.ca_file: cannot read "
                                  "'/nonexistent/ca.crt'"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(config.ingest.security.auth_token, "");  // untouched by the failed parse
}

TEST(JournalConfig, BadValuesAreRefusedWithTheFix) {
  JournalConfig config;
  Status status = ParseJournalConfig("batch_events: 0\n", "j.yaml", &config);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("j.yaml:1: batch_events:"), std::string::npos)
      << status.message();
  EXPECT_FALSE(ParseJournalConfig("poll_interval: soon\n", "j.yaml", &config).ok());
  EXPECT_FALSE(ParseJournalConfig("log_level: loud\n", "j.yaml", &config).ok());
  EXPECT_FALSE(ParseJournalConfig("path: [a, b]\n", "j.yaml", &config).ok());
  EXPECT_FALSE(ParseJournalConfig("path: [a,\n", "j.yaml", &config).ok());
  EXPECT_EQ(config.batch_events, 1000u);  // untouched by failed parses
}

}  // namespace
}  // namespace atmwatch::journal
