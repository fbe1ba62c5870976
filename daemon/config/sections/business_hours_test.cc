#include "config/sections/business_hours.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using ::testing::HasSubstr;

Status ReadText(const std::string& yaml, engine::BusinessHours* hours) {
  return ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadBusinessHours(fields, root["business_hours"], hours);
  });
}

std::string ErrorOf(const std::string& yaml) {
  engine::BusinessHours hours;
  return ErrorText(ReadText(yaml, &hours));
}

TEST(BusinessHoursSectionTest, StartAndEndAreRead) {
  engine::BusinessHours hours;
  ASSERT_TRUE(ReadText("business_hours: {start: \"09:30\", end: \"24:00\"}\n", &hours).ok());
  EXPECT_EQ(hours.On(engine::HoursDay::kWeekday).start_minute, 570);
  EXPECT_EQ(hours.On(engine::HoursDay::kWeekday).end_minute, 1440);
}

TEST(BusinessHoursSectionTest, MistakesNameKeyAndFix) {
  EXPECT_THAT(ErrorOf("business_hours: {start: \"25:00\"}\n"),
              HasSubstr("atmwatch.yaml:1: business_hours.start: '25:00' is not a local time; "
                        "write HH:MM"));
  EXPECT_THAT(ErrorOf("business_hours: {start: \"23:00\", end: \"02:00\"}\n"),
              HasSubstr("business_hours: start must be before end"));
}

}  // namespace
}  // namespace atmwatch::config
