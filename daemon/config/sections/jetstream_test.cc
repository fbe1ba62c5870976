#include "config/sections/jetstream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

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
  EXPECT_EQ(js.url, "nats://10.1.2.3:4222");
  EXPECT_EQ(js.durable, "atmwatchd-east");
  EXPECT_EQ(js.subjects,
            (std::vector<std::string>{"atmwatch.events.kanto", "atmwatch.events.kansai",
                                      "atmwatch.*.chubu", "atmwatch.audit.>"}));
  EXPECT_EQ(js.fetch_batch, 128u);
  EXPECT_EQ(js.max_in_flight, 512u);
  EXPECT_EQ(js.ack_wait_ms, 45000);
  EXPECT_EQ(js.nak_delay_ms, 250);
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
