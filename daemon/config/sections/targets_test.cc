#include "config/sections/targets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using ::testing::HasSubstr;

Status ReadText(const std::string& yaml, DaemonConfig::Targets* targets) {
  return ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadTargets(fields, root["targets"], targets);
  });
}

TEST(TargetsSectionTest, MvnoLinesIsRead) {
  DaemonConfig::Targets targets;
  ASSERT_TRUE(ReadText("targets: {mvno_lines: 100000}\n", &targets).ok());
  EXPECT_EQ(targets.mvno_lines, 100000);
}

TEST(TargetsSectionTest, MistakesNameKeyAndFix) {
  DaemonConfig::Targets targets;
  EXPECT_THAT(ErrorText(ReadText("targets:\n  mvno_line: 5\n", &targets)),
              HasSubstr("atmwatch.yaml:2: targets.mvno_line: unknown key; did you mean "
                        "'mvno_lines'?"));
  EXPECT_THAT(ErrorText(ReadText("targets: {mvno_lines: -1}\n", &targets)),
              HasSubstr("atmwatch.yaml:1: targets.mvno_lines: -1 is out of range"));
}

}  // namespace
}  // namespace atmwatch::config
