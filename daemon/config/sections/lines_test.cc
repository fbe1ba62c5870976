#include "config/sections/lines.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using ::testing::HasSubstr;

Status ReadText(const std::string& yaml, DaemonConfig::Lines* lines) {
  return ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadLines(fields, root["lines"], lines);
  });
}

TEST(LinesSectionTest, KeysAreRead) {
  DaemonConfig::Lines lines;
  ASSERT_TRUE(
      ReadText("lines: {interim_interval: 10m, flap_window: 30m, max_lines: 1000}\n", &lines).ok());
  EXPECT_EQ(lines.interim_interval_ms, 600000);
  EXPECT_EQ(lines.flap_window_ms, 1800000);
  EXPECT_EQ(lines.max_lines, 1000u);
}

TEST(LinesSectionTest, MistakesNameKeyAndFix) {
  DaemonConfig::Lines lines;
  EXPECT_THAT(ErrorText(ReadText("lines:\n  interim_intervl: 5m\n", &lines)),
              HasSubstr("atmwatch.yaml:2: lines.interim_intervl: unknown key; did you mean "
                        "'interim_interval'?"));
  EXPECT_THAT(ErrorText(ReadText("lines: {flap_window: 2d}\n", &lines)),
              HasSubstr("atmwatch.yaml:1: lines.flap_window: must be above 0 and at most 86400s"));
  EXPECT_THAT(ErrorText(ReadText("lines: {max_lines: 0}\n", &lines)),
              HasSubstr("atmwatch.yaml:1: lines.max_lines: 0 is out of range; use 1..100000000"));
}

}  // namespace
}  // namespace atmwatch::config
