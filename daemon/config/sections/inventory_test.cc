#include "config/sections/inventory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using ::testing::HasSubstr;

Status ReadText(const std::string& yaml, std::vector<engine::InventoryEntry>* atms) {
  return ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadInventory(fields, root["atms"], engine::BusinessHours{}, atms);
  });
}

std::string ErrorOf(const std::string& yaml) {
  std::vector<engine::InventoryEntry> atms;
  return ErrorText(ReadText(yaml, &atms));
}

TEST(InventorySectionTest, EntriesAreRead) {
  std::vector<engine::InventoryEntry> atms;
  const Status status = ReadText(R"(
atms:
  - {id: ATM0001, site: "Parlor Shinjuku 1", region: kanto, installed: 2008-05-01,
     line_id: "819012345678", carrier: docomo}
  - {id: ATM0002}
)",
                                 &atms);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(atms.size(), 2u);
  EXPECT_EQ(atms[0].id, "ATM0001");
  EXPECT_EQ(atms[0].site, "Parlor Shinjuku 1");
  EXPECT_EQ(atms[0].region, "kanto");
  EXPECT_EQ(atms[0].installed, "2008-05-01");
  EXPECT_EQ(atms[0].line_id, "819012345678");
  EXPECT_EQ(atms[0].carrier, "docomo");
  EXPECT_EQ(atms[1].id, "ATM0002");
  EXPECT_TRUE(atms[1].installed.empty());
}

TEST(InventorySectionTest, AtmEntriesAreChecked) {
  EXPECT_THAT(ErrorOf("atms:\n  - {site: x}\n"), HasSubstr("atms[0].id: every ATM needs an id"));
  EXPECT_THAT(ErrorOf("atms:\n  - {id: A}\n  - {id: A}\n"),
              HasSubstr("atmwatch.yaml:3: atms[1].id: 'A' is listed twice"));
  EXPECT_THAT(ErrorOf("atms:\n  - {id: A, siet: x}\n"),
              HasSubstr("atms[0].siet: unknown key; did you mean 'site'?"));
}

TEST(InventorySectionTest, AnAtmsOwnHoursStartFromTheDefault) {
  std::vector<engine::InventoryEntry> atms;
  const Status status = ReadText(
      "atms:\n  - {id: A, hours: {weekday: \"08:00-20:00\", holiday: closed}}\n  - {id: B}\n",
      &atms);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_TRUE(atms[0].hours.has_value());
  EXPECT_EQ(atms[0].hours->On(engine::HoursDay::kWeekday), (engine::DayHours{480, 1200}));
  EXPECT_EQ(atms[0].hours->On(engine::HoursDay::kSunday), engine::DayHours{});
  EXPECT_TRUE(atms[0].hours->On(engine::HoursDay::kHoliday).closed());
  EXPECT_FALSE(atms[1].hours.has_value());
  EXPECT_THAT(ErrorOf("atms:\n  - {id: A, hours: {sundy: closed}}\n"),
              HasSubstr("atms[0].hours.sundy: unknown key; did you mean 'sunday'?"));
}

TEST(InventorySectionTest, InstalledIsACalendarDate) {
  EXPECT_EQ(ErrorOf("atms:\n  - {id: A, installed: 2008-02-30}\n"),
            "atmwatch.yaml:2: atms[0].installed: \"2008-02-30\" is not a day of the calendar; "
            "write YYYY-MM-DD, e.g. 2010-04-01");
}

}  // namespace
}  // namespace atmwatch::config
