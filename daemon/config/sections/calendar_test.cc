#include "config/sections/calendar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <stdexcept>
#include <string>

#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using namespace std::chrono;
using engine::Calendar;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const FieldReader kFields("atmwatch.yaml");

Calendar WithOffset(std::string_view offset, unsigned fiscal_start_month = 4) {
  minutes utc_offset;
  Status status = engine::ParseUtcOffset(offset, &utc_offset);
  if (!status.ok()) throw std::invalid_argument(status.message());
  return Calendar(utc_offset, fiscal_start_month, {});
}

TEST(ReadCalendarTest, ReadsTheCalendarKeys) {
  YAML::Node root = YAML::Load(
      "timezone: \"-05:30\"\n"
      "fiscal_year_start_month: 1\n"
      "holidays: [2010-01-01, 2010-07-05]\n"
      "fees: {ignored: here}\n");
  Calendar calendar;
  Status status = ReadCalendar(kFields, root, &calendar);

  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(calendar.utc_offset(), -(5h + 30min));
  EXPECT_EQ(calendar.fiscal_year_start_month(), 1u);
  EXPECT_TRUE(calendar.IsHoliday(2010y / July / 5));
}

TEST(ReadCalendarTest, AbsentKeysKeepTheDefaults) {
  for (const char* text : {"", "data_dir: ./x\n", "holidays:\n"}) {
    Calendar calendar = WithOffset("Z", 1);
    Status status = ReadCalendar(kFields, YAML::Load(text), &calendar);

    ASSERT_TRUE(status.ok()) << status.message();
    EXPECT_EQ(calendar.utc_offset(), Calendar::kDefaultUtcOffset) << text;
    EXPECT_EQ(calendar.fiscal_year_start_month(), Calendar::kDefaultFiscalYearStartMonth) << text;
  }
}

Status ReadCalendarText(const char* text) {
  Calendar calendar;
  return ReadCalendar(kFields, YAML::Load(text), &calendar);
}

TEST(ReadCalendarTest, BadTimezoneNamesKeyLineAndFix) {
  EXPECT_THAT(ReadCalendarText("data_dir: x\ntimezone: Asia/Tokyo\n").message(),
              AllOf(HasSubstr("atmwatch.yaml:2: timezone"), HasSubstr("Asia/Tokyo"),
                    HasSubstr("\"+09:00\"")));
}

TEST(ReadCalendarTest, BadFiscalStartMonthNamesKeyLineAndFix) {
  EXPECT_THAT(ReadCalendarText("fiscal_year_start_month: 13\n").message(),
              AllOf(HasSubstr("atmwatch.yaml:1: fiscal_year_start_month"), HasSubstr("1 to 12")));
  EXPECT_THAT(
      ReadCalendarText("fiscal_year_start_month: April\n").message(),
      AllOf(HasSubstr("atmwatch.yaml:1: fiscal_year_start_month"), HasSubstr("whole number")));
}

TEST(ReadCalendarTest, BadHolidayNamesItsIndexAndLine) {
  EXPECT_THAT(ReadCalendarText("holidays:\n  - 2010-01-01\n  - 2010-02-30\n").message(),
              AllOf(HasSubstr("atmwatch.yaml:3: holidays[1]"), HasSubstr("YYYY-MM-DD")));
  EXPECT_THAT(ReadCalendarText("holidays: 2010-01-01\n").message(),
              AllOf(HasSubstr("atmwatch.yaml:1: holidays"), HasSubstr("expected a list")));
}

TEST(ReadCalendarTest, ErrorLeavesTheCalendarUntouched) {
  Calendar calendar = WithOffset("-05:30");
  EXPECT_FALSE(
      ReadCalendar(kFields, YAML::Load("timezone: \"+09:00\"\nholidays: [x]\n"), &calendar).ok());
  EXPECT_EQ(calendar.utc_offset(), -(5h + 30min));
}

TEST(ReadCalendarTest, EveryBadKeyIsReported) {
  const std::string error =
      ReadCalendarText("timezone: JST\nfiscal_year_start_month: 13\nholidays: [2010-02-30]\n")
          .message();
  EXPECT_THAT(error, AllOf(StartsWith("atmwatch.yaml:1: timezone: \"JST\""),
                           HasSubstr("\natmwatch.yaml:2: fiscal_year_start_month: 13"),
                           HasSubstr("\natmwatch.yaml:3: holidays[0]: \"2010-02-30\"")));
}

// As a whole file reports them: ParseConfig reads the calendar this way.
std::string FileErrorOf(const std::string& yaml) {
  Calendar calendar;
  return ErrorText(ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadCalendar(fields, root, &calendar);
  }));
}

TEST(ReadCalendarTest, BadValuesNameKeyAndFix) {
  EXPECT_THAT(
      FileErrorOf("fiscal_year_start_month: 13"),
      HasSubstr("atmwatch.yaml:1: fiscal_year_start_month: 13 is not a month; write 1 to 12"));
  EXPECT_THAT(FileErrorOf("timezone: JST"),
              HasSubstr("atmwatch.yaml:1: timezone: \"JST\" is not a UTC offset; write +HH:MM"));
  EXPECT_THAT(FileErrorOf("holidays: [2010-02-30]"),
              HasSubstr("holidays[0]: \"2010-02-30\" is not a day of the calendar"));
}

}  // namespace
}  // namespace atmwatch::config
