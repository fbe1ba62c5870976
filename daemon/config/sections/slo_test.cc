#include "config/sections/slo.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using ::testing::HasSubstr;

Status ReadText(const std::string& yaml, DaemonConfig::Slo* slo) {
  return ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadSlo(fields, root["slo"], slo);
  });
}

TEST(SloSectionTest, DefaultsToNinetyNinePointFivePercent) {
  EXPECT_DOUBLE_EQ(DaemonConfig::Slo{}.cardholder_availability, 0.995);
}

TEST(SloSectionTest, ObjectiveIsRead) {
  DaemonConfig::Slo slo;
  ASSERT_TRUE(ReadText("slo: {cardholder_availability: 0.999}\n", &slo).ok());
  EXPECT_DOUBLE_EQ(slo.cardholder_availability, 0.999);
}

TEST(SloSectionTest, MistakesNameKeyAndFix) {
  DaemonConfig::Slo slo;
  EXPECT_THAT(ErrorText(ReadText("slo:\n  cardholder_availabilty: 0.99\n", &slo)),
              HasSubstr("atmwatch.yaml:2: slo.cardholder_availabilty: unknown key; did you mean "
                        "'cardholder_availability'?"));
  EXPECT_THAT(ErrorText(ReadText("slo: {cardholder_availability: 99.5%}\n", &slo)),
              HasSubstr("atmwatch.yaml:1: slo.cardholder_availability: '99.5%' is not a share "
                        "from 0 to 1; write e.g. 0.995 for 99.5%"));
  EXPECT_THAT(ErrorText(ReadText("slo: {cardholder_availability: 1}\n", &slo)),
              HasSubstr("atmwatch.yaml:1: slo.cardholder_availability: an objective needs an "
                        "error budget"));
  EXPECT_DOUBLE_EQ(slo.cardholder_availability, 0.995);
}

}  // namespace
}  // namespace atmwatch::config
