#include "config/sections/cash.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using engine::CashVisits;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr uint8_t kMon = 1 << 1;
constexpr uint8_t kTue = 1 << 2;
constexpr uint8_t kThu = 1 << 4;
constexpr uint8_t kFri = 1 << 5;

Status Read(const std::string& yaml, CashVisits* out) {
  return ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadCash(fields, root["cash"], out);
  });
}

CashVisits ParseOrDie(const std::string& yaml) {
  CashVisits visits;
  const Status status = Read(yaml, &visits);
  EXPECT_TRUE(status.ok()) << status.message();
  return visits;
}

std::string ParseError(const std::string& yaml) {
  CashVisits visits;
  const Status status = Read(yaml, &visits);
  EXPECT_FALSE(status.ok()) << "accepted:\n" << yaml;
  return ErrorText(status);
}

TEST(CashConfigTest, RegionsInheritTheDefaultsKeys) {
  const CashVisits visits = ParseOrDie(R"(
cash:
  default: {visit_days: [mon, thu], visit_time: "08:30", cost_per_visit_yen: 15000}
  regions:
    kansai: {visit_days: [tue, fri]}
    tohoku: {cost_per_visit_yen: 30000}
)");
  ASSERT_TRUE(visits.fallback);
  EXPECT_EQ(visits.fallback->weekdays, kMon | kThu);
  EXPECT_EQ(visits.fallback->minute_of_day, 8 * 60 + 30);
  EXPECT_EQ(visits.fallback->cost_per_visit_yen, 15000);
  EXPECT_EQ(visits.For("kansai")->weekdays, kTue | kFri);
  EXPECT_EQ(visits.For("kansai")->minute_of_day, 8 * 60 + 30);
  EXPECT_EQ(visits.For("kansai")->cost_per_visit_yen, 15000);
  EXPECT_EQ(visits.For("tohoku")->weekdays, kMon | kThu);
  EXPECT_EQ(visits.For("tohoku")->cost_per_visit_yen, 30000);
  EXPECT_EQ(visits.For("kanto"), visits.For("anywhere"));
}

TEST(CashConfigTest, AbsentMeansNoPlannedVisits) {
  CashVisits visits;
  visits.fallback = engine::VisitSchedule{.weekdays = kMon};
  ASSERT_TRUE(Read("timezone: Z\n", &visits).ok());
  EXPECT_EQ(visits.For("kanto"), nullptr);
  const CashVisits only_regions = ParseOrDie("cash: {regions: {kanto: {visit_days: [sun]}}}\n");
  EXPECT_EQ(only_regions.For("kansai"), nullptr);
  EXPECT_EQ(only_regions.For("kanto")->minute_of_day, 9 * 60);
}

TEST(CashConfigTest, TyposNameTheKey) {
  EXPECT_THAT(ParseError("cash:\n  default: {visit_day: [mon]}\n"),
              AllOf(HasSubstr("atmwatch.yaml:2: cash.default.visit_day: unknown key"),
                    HasSubstr("did you mean 'visit_days'")));
  EXPECT_THAT(ParseError("cash:\n  region: {}\n"),
              AllOf(HasSubstr("cash.region: unknown key"), HasSubstr("did you mean 'regions'")));
  EXPECT_THAT(ParseError("cash:\n  regions:\n    kanto: {visit_days: [mon, thursday]}\n"),
              AllOf(HasSubstr("atmwatch.yaml:3: cash.regions.kanto.visit_days[1]"),
                    HasSubstr("'thursday' is not a day")));
}

TEST(CashConfigTest, RefusesBadValues) {
  EXPECT_THAT(ParseError("cash: {default: {visit_days: [mon], visit_time: \"9am\"}}\n"),
              HasSubstr("cash.default.visit_time: '9am' is not a local time"));
  EXPECT_THAT(ParseError("cash: {default: {visit_days: [mon], visit_time: \"24:00\"}}\n"),
              HasSubstr("cash.default.visit_time: a visit is within the day"));
  EXPECT_THAT(ParseError("cash: {default: {visit_days: [mon], cost_per_visit_yen: -1}}\n"),
              HasSubstr("cash.default.cost_per_visit_yen"));
  EXPECT_THAT(ParseError("cash: {regions: {kanto: {visit_time: \"10:00\"}}}\n"),
              HasSubstr("cash.regions.kanto: no visit day"));
  EXPECT_THAT(ParseError("cash: {regions: [kanto]}\n"), HasSubstr("cash.regions: not a map"));
}

TEST(CashConfigTest, ARefusedSectionLeavesTheOutputAlone) {
  CashVisits visits;
  visits.regions["kept"] = {};
  const FieldReader fields("atmwatch.yaml");
  const YAML::Node root = YAML::Load("cash: {regions: {kanto: {visit_days: [someday]}}}\n");
  EXPECT_FALSE(ReadCash(fields, root["cash"], &visits).ok());
  ASSERT_EQ(visits.regions.size(), 1U);
  EXPECT_TRUE(visits.regions.contains("kept"));
}

}  // namespace
}  // namespace atmwatch::config
