#include "config/sections/sites.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <string>

#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using engine::BusinessHours;
using engine::DayHours;
using engine::HoursDay;
using ::testing::HasSubstr;

using SiteHours = std::map<std::string, BusinessHours>;
using SiteShares = std::map<std::string, double>;

Status ReadText(const std::string& yaml, SiteHours* sites, SiteShares* shares = nullptr) {
  SiteShares ignored;
  return ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadSites(fields, root["sites"], BusinessHours::Daily(10 * 60, 23 * 60), sites,
                     shares != nullptr ? shares : &ignored);
  });
}

std::string ErrorOf(const std::string& yaml) {
  SiteHours sites;
  return ErrorText(ReadText(yaml, &sites));
}

TEST(SitesSectionTest, EveryClassOfDayIsRead) {
  SiteHours sites;
  const Status status = ReadText(R"(
sites:
  parlor: {hours: {all: "10:00-24:00"}}
  shop:
    hours: {weekday: "09:00-18:00", saturday: "10:00-17:00", sunday: closed}
  station: {hours: {all: "06:00-23:00", sunday: "08:00-20:00", holiday: "09:00-12:00"}}
  default_like: {}
)",
                                 &sites);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(sites.size(), 4u);
  EXPECT_EQ(sites["parlor"], BusinessHours::Daily(600, 1440));
  const BusinessHours& shop = sites["shop"];
  EXPECT_EQ(shop.On(HoursDay::kWeekday), (DayHours{540, 1080}));
  EXPECT_EQ(shop.On(HoursDay::kSaturday), (DayHours{600, 1020}));
  EXPECT_TRUE(shop.On(HoursDay::kSunday).closed());
  EXPECT_TRUE(shop.On(HoursDay::kHoliday).closed());  // a holiday takes Sunday's
  const BusinessHours& station = sites["station"];
  EXPECT_EQ(station.On(HoursDay::kWeekday), (DayHours{360, 1380}));
  EXPECT_EQ(station.On(HoursDay::kSaturday), (DayHours{360, 1380}));
  EXPECT_EQ(station.On(HoursDay::kSunday), (DayHours{480, 1200}));
  EXPECT_EQ(station.On(HoursDay::kHoliday), (DayHours{540, 720}));
  // Classes not named keep the default business_hours.
  EXPECT_EQ(sites["default_like"], BusinessHours::Daily(600, 1380));
}

TEST(SitesSectionTest, ASiteShareIsKeptForTheSitesThatGiveOne) {
  SiteHours sites;
  SiteShares shares;
  const Status status = ReadText(R"(
sites:
  parlor: {hours: {all: "10:00-24:00"}, site_share: 0.3}
  shop: {site_share: 0}
  station: {}
)",
                                 &sites, &shares);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(sites.size(), 3u);
  EXPECT_EQ(shares, (SiteShares{{"parlor", 0.3}, {"shop", 0.0}}));
}

TEST(SitesSectionTest, MistakesNameKeyAndFix) {
  EXPECT_THAT(ErrorOf("sites:\n  shop: {site_shares: 0.3}\n"),
              HasSubstr("sites.shop.site_shares: unknown key; did you mean 'site_share'?"));
  EXPECT_THAT(ErrorOf("sites:\n  shop: {site_share: 1.5}\n"), HasSubstr("sites.shop.site_share:"));
  EXPECT_THAT(ErrorOf("sites:\n  shop: {site_share: 30%}\n"), HasSubstr("sites.shop.site_share:"));
  EXPECT_THAT(ErrorOf("sites:\n  shop: {hour: {all: closed}}\n"),
              HasSubstr("atmwatch.yaml:2: sites.shop.hour: unknown key; did you mean 'hours'?"));
  EXPECT_THAT(ErrorOf("sites:\n  shop: {hours: {weekdays: closed}}\n"),
              HasSubstr("sites.shop.hours.weekdays: unknown key; did you mean 'weekday'?"));
  EXPECT_THAT(ErrorOf("sites:\n  shop: {hours: {all: \"18:00-09:00\"}}\n"),
              HasSubstr("sites.shop.hours.all: '18:00-09:00' is not opening hours; write "
                        "\"HH:MM-HH:MM\" with the start first"));
  EXPECT_THAT(ErrorOf("sites:\n  shop: {hours: {sunday: shut}}\n"),
              HasSubstr("sites.shop.hours.sunday: 'shut' is not opening hours"));
  EXPECT_THAT(ErrorOf("sites:\n  shop: {hours: {saturday: \"09:00-24:01\"}}\n"),
              HasSubstr("sites.shop.hours.saturday: '09:00-24:01' is not opening hours"));
  EXPECT_THAT(ErrorOf("sites: [shop]\n"), HasSubstr("sites: must be a map"));
}

}  // namespace
}  // namespace atmwatch::config
