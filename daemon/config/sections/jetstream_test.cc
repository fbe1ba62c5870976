#include "config/sections/jetstream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "config/sections/jetstream_servers.h"
#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using ::testing::HasSubstr;

Status ReadText(const std::string& yaml, DaemonConfig::JetStream* jetstream) {
  return ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadJetStream(fields, root["jetstream"], jetstream);
  });
}

std::string ErrorOf(const std::string& yaml) {
  DaemonConfig::JetStream jetstream;
  return ErrorText(ReadText(yaml, &jetstream));
}

TEST(JetStreamSectionTest, SectionIsRead) {
  DaemonConfig::JetStream js;
  const Status status = ReadText(R"(
jetstream:
  url: nats://10.1.2.3:4222
  stream: ATMWATCH
  durable: atmwatchd-east
  subjects: [atmwatch.events.kanto, "atmwatch.events.kansai", "atmwatch.*.chubu", atmwatch.audit.>]
  fetch_batch: 128
  max_in_flight: 512
  ack_wait: 45s
  nak_delay: 250ms
)",
                                 &js);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(js.enabled);
  EXPECT_EQ(js.servers, std::vector<std::string>{"nats://10.1.2.3:4222"});
  EXPECT_EQ(js.durable, "atmwatchd-east");
  EXPECT_EQ(js.subjects,
            (std::vector<std::string>{"atmwatch.events.kanto", "atmwatch.events.kansai",
                                      "atmwatch.*.chubu", "atmwatch.audit.>"}));
  EXPECT_EQ(js.fetch_batch, 128u);
  EXPECT_EQ(js.max_in_flight, 512u);
  EXPECT_EQ(js.ack_wait_ms, 45000);
  EXPECT_EQ(js.nak_delay_ms, 250);
}

TEST(JetStreamSectionTest, ServersOfAClusterAndReconnectLimits) {
  DaemonConfig::JetStream js;
  Status status = ReadText(R"(
jetstream:
  url: nats://a:4222, nats://b:4222,nats://c:4222
  durable: east
  subjects: [a.b]
  reconnect_wait: 250ms
  reconnect_buffer: 16MiB
)",
                           &js);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(js.servers,
            (std::vector<std::string>{"nats://a:4222", "nats://b:4222", "nats://c:4222"}));
  EXPECT_EQ(js.reconnect_wait_ms, 250);
  EXPECT_EQ(js.reconnect_buffer_bytes, 16u * 1024 * 1024);

  DaemonConfig::JetStream listed;
  status = ReadText(
      "jetstream:\n  servers: [nats://a:4222, nats://b:4222]\n  durable: east\n"
      "  subjects: [a.b]\n",
      &listed);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(listed.servers, (std::vector<std::string>{"nats://a:4222", "nats://b:4222"}));
  EXPECT_EQ(listed.reconnect_wait_ms, 1000);
  EXPECT_EQ(listed.reconnect_buffer_bytes, 8u * 1024 * 1024);
}

// The split `jetstream.url` and `atmwatch send --nats` share: trimmed,
// with empty items kept for the config to refuse.
TEST(JetStreamSectionTest, AServerListSplitsAtCommasAndTrimsSpaces) {
  EXPECT_EQ(SplitServerList("nats://a:4222"), std::vector<std::string>{"nats://a:4222"});
  EXPECT_EQ(SplitServerList(" nats://a:4222, nats://b:4222,, nats://c:4222 "),
            (std::vector<std::string>{"nats://a:4222", "nats://b:4222", "", "nats://c:4222"}));
  EXPECT_EQ(SplitServerList("  "), std::vector<std::string>{""});
}

TEST(JetStreamSectionTest, ServerListMistakesNameTheKey) {
  const std::string head = "jetstream:\n  durable: east\n  subjects: [a]\n";
  EXPECT_THAT(ErrorOf(head + "  url: nats://a:4222,,nats://b:4222\n"),
              HasSubstr("atmwatch.yaml:4: jetstream.url: '' is not a server URL"));
  EXPECT_THAT(ErrorOf(head + "  url: nats://a:4222,nats://a:4222\n"),
              HasSubstr("jetstream.url: 'nats://a:4222' is listed twice"));
  EXPECT_THAT(ErrorOf(head + "  servers: []\n"), HasSubstr("jetstream.servers: is empty"));
  EXPECT_THAT(ErrorOf(head + "  servers: [nats://a:4222, nats://a:4222]\n"),
              HasSubstr("atmwatch.yaml:4: jetstream.servers[1]: 'nats://a:4222' is listed twice"));
  EXPECT_THAT(ErrorOf(head + "  url: nats://a:4222\n  servers: [nats://b:4222]\n"),
              HasSubstr("jetstream.servers: and jetstream.url both name the servers"));
  EXPECT_THAT(ErrorOf(head + "  reconnect_wait: 2h\n"), HasSubstr("jetstream.reconnect_wait"));
  EXPECT_THAT(ErrorOf(head + "  reconnect_buffer: 1KiB\n"),
              HasSubstr("atmwatch.yaml:4: jetstream.reconnect_buffer: 1024 bytes is too small"));
  EXPECT_THAT(ErrorOf(head + "  reconnect_buffer: 4GiB\n"),
              HasSubstr("jetstream.reconnect_buffer: is too large"));
}

TEST(JetStreamSectionTest, MistakesNameKeyLineAndFix) {
  const std::string head = "jetstream:\n  durable: east\n";
  EXPECT_THAT(ErrorOf(head + "  subjects: [a.b]\n  fetch_bacth: 5\n"),
              HasSubstr("atmwatch.yaml:4: jetstream.fetch_bacth: unknown key; did you mean "
                        "'fetch_batch'?"));
  EXPECT_THAT(ErrorOf(head), HasSubstr("atmwatch.yaml:2: jetstream.subjects: is required"));
  EXPECT_THAT(ErrorOf("jetstream:\n  subjects: [a.b]\n"),
              HasSubstr("jetstream.durable: is required"));
  EXPECT_THAT(ErrorOf(head + "  subjects: []\n"), HasSubstr("jetstream.subjects: is empty"));
  EXPECT_THAT(ErrorOf(head + "  subjects: [a.b, a..c]\n"),
              HasSubstr("atmwatch.yaml:3: jetstream.subjects[1]: 'a..c' is not a NATS subject"));
  EXPECT_THAT(ErrorOf(head + "  subjects: [a.>.c]\n"),
              HasSubstr("jetstream.subjects[0]: 'a.>.c' is not a NATS subject"));
  EXPECT_THAT(ErrorOf(head + "  subjects: [a.b, a.b]\n"),
              HasSubstr("jetstream.subjects[1]: 'a.b' is listed twice"));
  EXPECT_THAT(ErrorOf("jetstream:\n  durable: east.1\n  subjects: [a]\n"),
              HasSubstr("atmwatch.yaml:2: jetstream.durable: 'east.1' is not a NATS name"));
  EXPECT_THAT(ErrorOf(head + "  subjects: [a]\n  ack_wait: soon\n"),
              HasSubstr("atmwatch.yaml:4: jetstream.ack_wait: 'soon' is not a duration"));
  EXPECT_THAT(ErrorOf(head + "  subjects: [a]\n  fetch_batch: 0\n"),
              HasSubstr("jetstream.fetch_batch"));
}

}  // namespace
}  // namespace atmwatch::config
