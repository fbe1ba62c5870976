#include "engine/calendar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace atmwatch::engine {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;

int64_t UnixMs(year_month_day utc_date, milliseconds utc_time_of_day) {
  return (sys_days(utc_date) + utc_time_of_day).time_since_epoch() / 1ms;
}

Calendar WithOffset(std::string_view offset, unsigned fiscal_start_month = 4) {
  minutes utc_offset;
  Status status = ParseUtcOffset(offset, &utc_offset);
  if (!status.ok()) throw std::invalid_argument(status.message());
  return Calendar(utc_offset, fiscal_start_month, {});
}

TEST(CalendarTest, FiscalYear2010BeginsAtTokyoMidnight) {
  Calendar tokyo;
  int64_t first_ms = UnixMs(2010y / March / 31, 15h);

  EXPECT_EQ(tokyo.LocalDate(first_ms), 2010y / April / 1);
  EXPECT_EQ(tokyo.FiscalYearOf(tokyo.LocalDate(first_ms)), 2010);
  FiscalQuarter quarter = tokyo.FiscalQuarterOf(tokyo.LocalDate(first_ms));
  EXPECT_EQ(quarter, (FiscalQuarter{2010, 1}));
  EXPECT_EQ(QuarterLabel(quarter), "1Q10");
  EXPECT_EQ(tokyo.QuarterStart(quarter), tokyo.LocalDate(first_ms));
  EXPECT_EQ(tokyo.SecondOfDay(first_ms), 0);
}

TEST(CalendarTest, LastMillisecondOfMarchIsStillFiscal2009) {
  Calendar tokyo;
  int64_t last_ms = UnixMs(2010y / March / 31, 15h) - 1;

  EXPECT_EQ(tokyo.LocalDate(last_ms), 2010y / March / 31);
  EXPECT_EQ(tokyo.FiscalYearOf(tokyo.LocalDate(last_ms)), 2009);
  FiscalQuarter quarter = tokyo.FiscalQuarterOf(tokyo.LocalDate(last_ms));
  EXPECT_EQ(quarter, (FiscalQuarter{2009, 4}));
  EXPECT_EQ(QuarterLabel(quarter), "4Q09");
  EXPECT_EQ(tokyo.QuarterEnd(quarter), 2010y / March / 31);
}

TEST(CalendarTest, LocalDayTurnsAtLocalMidnight) {
  Calendar tokyo;
  int64_t midnight = UnixMs(2010y / March / 31, 15h);
  int64_t day = tokyo.LocalDayNumber(midnight);

  EXPECT_EQ(day, DayNumberOf(2010y / April / 1));
  EXPECT_EQ(tokyo.LocalDayNumber(midnight - 1), day - 1);
  EXPECT_EQ(tokyo.LocalMidnightUnixMs(day), midnight);
  EXPECT_EQ(tokyo.HourOfDay(midnight - 1), 23);
  EXPECT_EQ(tokyo.MinuteOfDay(midnight - 1), 1439);
  EXPECT_EQ(tokyo.SecondOfDay(midnight - 1), 86399);
  EXPECT_EQ(tokyo.LocalDayNumber(midnight + 24 * 3600 * 1000 - 1), day);
}

TEST(CalendarTest, ClockFieldsAreLocal) {
  Calendar tokyo;
  int64_t ms = UnixMs(2010y / April / 1, 3h + 45min + 30s);  // 12:45:30 in Tokyo

  EXPECT_EQ(tokyo.HourOfDay(ms), 12);
  EXPECT_EQ(tokyo.MinuteOfDay(ms), 12 * 60 + 45);
  EXPECT_EQ(tokyo.SecondOfDay(ms), (12 * 60 + 45) * 60 + 30);
  EXPECT_EQ(tokyo.LocalWeekday(ms), Thursday);
  EXPECT_EQ(tokyo.LocalWeekday(UnixMs(2010y / April / 1, 15h)), Friday);
}

TEST(CalendarTest, NegativeOffsetPutsTheDayBoundaryAfterUtcMidnight) {
  Calendar minus_five_thirty = WithOffset("-05:30");
  int64_t local_midnight = UnixMs(2010y / January / 1, 5h + 30min);

  EXPECT_EQ(minus_five_thirty.LocalDate(local_midnight), 2010y / January / 1);
  EXPECT_EQ(minus_five_thirty.LocalDate(local_midnight - 1), 2009y / December / 31);
  EXPECT_EQ(minus_five_thirty.SecondOfDay(local_midnight - 1), 86399);
  EXPECT_EQ(minus_five_thirty.LocalMidnightUnixMs(minus_five_thirty.LocalDayNumber(local_midnight)),
            local_midnight);
  EXPECT_EQ(minus_five_thirty.FiscalQuarterOf(minus_five_thirty.LocalDate(local_midnight - 1)),
            (FiscalQuarter{2009, 3}));
  EXPECT_EQ(minus_five_thirty.FiscalQuarterOf(minus_five_thirty.LocalDate(local_midnight)),
            (FiscalQuarter{2009, 4}));
}

TEST(CalendarTest, InstantsBeforeTheEpochFloorToThePreviousDay) {
  Calendar utc = WithOffset("Z");

  EXPECT_EQ(utc.LocalDayNumber(-1), -1);
  EXPECT_EQ(utc.LocalDate(-1), 1969y / December / 31);
  EXPECT_EQ(utc.SecondOfDay(-1), 86399);
  EXPECT_EQ(utc.LocalDayNumber(0), 0);
}

TEST(CalendarTest, JanuaryFiscalStartFollowsTheCalendarYear) {
  Calendar calendar = WithOffset("+00:00", 1);

  EXPECT_EQ(calendar.FiscalQuarterOf(2010y / January / 1), (FiscalQuarter{2010, 1}));
  EXPECT_EQ(calendar.FiscalQuarterOf(2010y / December / 31), (FiscalQuarter{2010, 4}));
  EXPECT_EQ(calendar.QuarterStart({2010, 3}), 2010y / July / 1);
  EXPECT_EQ(calendar.QuarterEnd({2010, 3}), 2010y / September / 30);
}

TEST(CalendarTest, OctoberFiscalStartNamesTheYearItStartsIn) {
  Calendar calendar = WithOffset("+09:00", 10);

  EXPECT_EQ(calendar.FiscalQuarterOf(2010y / October / 1), (FiscalQuarter{2010, 1}));
  EXPECT_EQ(calendar.FiscalQuarterOf(2010y / September / 30), (FiscalQuarter{2009, 4}));
  EXPECT_EQ(calendar.FiscalQuarterOf(2011y / February / 15), (FiscalQuarter{2010, 2}));
  EXPECT_EQ(calendar.QuarterEnd({2010, 2}), 2011y / March / 31);
  EXPECT_EQ(calendar.QuarterStart({2010, 4}), 2011y / July / 1);
  EXPECT_EQ(calendar.QuarterEnd({2010, 4}), 2011y / September / 30);
}

TEST(CalendarTest, QuarterSpanningFebruaryEndsOnItsLastDay) {
  Calendar december_start = WithOffset("+09:00", 12);

  EXPECT_EQ(december_start.QuarterStart({2011, 1}), 2011y / December / 1);
  EXPECT_EQ(december_start.QuarterEnd({2011, 1}), 2012y / February / 29);
  EXPECT_EQ(december_start.QuarterEnd({2012, 1}), 2013y / February / 28);
}

TEST(CalendarTest, NextQuarterRollsIntoTheNextFiscalYear) {
  EXPECT_EQ(NextQuarter({2008, 1}), (FiscalQuarter{2008, 2}));
  EXPECT_EQ(NextQuarter({2009, 4}), (FiscalQuarter{2010, 1}));
}

TEST(CalendarTest, HolidaysAndWeekendsShareADayClass) {
  Calendar calendar(Calendar::kDefaultUtcOffset, 4, {2010y / January / 1, 2010y / January / 11});

  EXPECT_EQ(calendar.DayClassOf(2010y / January / 1), DayClass::kWeekendOrHoliday);  // Friday
  EXPECT_EQ(calendar.DayClassOf(2010y / January / 2), DayClass::kWeekendOrHoliday);  // Saturday
  EXPECT_EQ(calendar.DayClassOf(2010y / January / 3), DayClass::kWeekendOrHoliday);  // Sunday
  EXPECT_EQ(calendar.DayClassOf(2010y / January / 4), DayClass::kWeekday);
  EXPECT_EQ(calendar.DayClassOf(2010y / January / 11), DayClass::kWeekendOrHoliday);  // Monday
  EXPECT_TRUE(calendar.IsHoliday(2010y / January / 11));
  EXPECT_FALSE(calendar.IsHoliday(2010y / January / 2));
}

TEST(CalendarTest, HolidayIsALocalDate) {
  Calendar calendar(Calendar::kDefaultUtcOffset, 4, {2010y / January / 1});
  int64_t new_year_in_tokyo = UnixMs(2009y / December / 31, 15h);

  EXPECT_EQ(calendar.DayClassAt(new_year_in_tokyo), DayClass::kWeekendOrHoliday);
  EXPECT_EQ(calendar.DayClassAt(new_year_in_tokyo - 1), DayClass::kWeekday);  // Thursday
}

TEST(CalendarTest, ConstructorRefusesMisuse) {
  EXPECT_THROW(Calendar(9h, 13, {}), std::invalid_argument);
  EXPECT_THROW(Calendar(15h, 4, {}), std::invalid_argument);
  EXPECT_THROW(Calendar(9h, 4, {2010y / February / 30}), std::invalid_argument);
}

TEST(QuarterLabelTest, TwoDigitFiscalYear) {
  EXPECT_EQ(QuarterLabel({2008, 1}), "1Q08");
  EXPECT_EQ(QuarterLabel({2009, 4}), "4Q09");
  EXPECT_EQ(QuarterLabel({2000, 2}), "2Q00");
}

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ',')) fields.push_back(field);
  return fields;
}

// Every quarter of the reference table must come out of the calendar with
// its label and its first and last local day.
TEST(CalendarTest, ReproducesTheQuartersOfTheReferenceTable) {
  std::filesystem::path csv_path =
      std::filesystem::path(ATMWATCH_DATA_DIR) / "trust-networks-quarters.csv";
  std::ifstream csv(csv_path);
  ASSERT_TRUE(csv) << csv_path << " not found";

  Calendar tokyo;
  std::string line;
  std::vector<std::string> header;
  int rows = 0;
  while (std::getline(csv, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = SplitCsvLine(line);
    if (header.empty()) {
      header = fields;
      ASSERT_GE(header.size(), 3u);
      ASSERT_EQ(header[0], "quarter");
      ASSERT_EQ(header[1], "start");
      ASSERT_EQ(header[2], "end");
      continue;
    }
    SCOPED_TRACE(line);
    ASSERT_GE(fields.size(), 3u);
    year_month_day start, end;
    ASSERT_TRUE(ParseDate(fields[1], &start).ok());
    ASSERT_TRUE(ParseDate(fields[2], &end).ok());

    FiscalQuarter quarter = tokyo.FiscalQuarterOf(start);
    EXPECT_EQ(QuarterLabel(quarter), fields[0]);
    EXPECT_EQ(tokyo.FiscalQuarterOf(end), quarter);
    EXPECT_EQ(tokyo.QuarterStart(quarter), start);
    EXPECT_EQ(tokyo.QuarterEnd(quarter), end);
    int64_t first_ms = tokyo.LocalMidnightUnixMs(DayNumberOf(start));
    EXPECT_EQ(tokyo.FiscalQuarterOf(tokyo.LocalDate(first_ms)), quarter);
    EXPECT_NE(tokyo.FiscalQuarterOf(tokyo.LocalDate(first_ms - 1)), quarter);
    ++rows;
  }
  EXPECT_EQ(rows, 8);
}

TEST(ParseDateTest, AcceptsCalendarDates) {
  year_month_day date;
  ASSERT_TRUE(ParseDate("2008-02-29", &date).ok());
  EXPECT_EQ(date, 2008y / February / 29);
  EXPECT_EQ(FormatDate(date), "2008-02-29");
  EXPECT_EQ(FormatDate(DateOfDayNumber(DayNumberOf(date))), "2008-02-29");
}

TEST(ParseDateTest, RefusesOtherShapesWithTheFix) {
  for (std::string_view text : {"2010-4-1", "2010/04/01", "20100401", "", "2010-04-01T00:00"}) {
    year_month_day date;
    Status status = ParseDate(text, &date);
    EXPECT_FALSE(status.ok()) << text;
    EXPECT_THAT(status.message(), HasSubstr("YYYY-MM-DD")) << text;
  }
}

TEST(ParseDateTest, RefusesDaysNotInTheCalendar) {
  for (std::string_view text : {"2009-02-29", "2010-02-30", "2010-13-01", "2010-00-10"}) {
    year_month_day date;
    Status status = ParseDate(text, &date);
    EXPECT_FALSE(status.ok()) << text;
    EXPECT_THAT(status.message(), HasSubstr("not a day of the calendar")) << text;
  }
}

TEST(ParseUtcOffsetTest, AcceptsFixedOffsets) {
  minutes offset;
  ASSERT_TRUE(ParseUtcOffset("+09:00", &offset).ok());
  EXPECT_EQ(offset, 9h);
  ASSERT_TRUE(ParseUtcOffset("-05:30", &offset).ok());
  EXPECT_EQ(offset, -(5h + 30min));
  ASSERT_TRUE(ParseUtcOffset("Z", &offset).ok());
  EXPECT_EQ(offset, 0min);
  ASSERT_TRUE(ParseUtcOffset("+00:00", &offset).ok());
  EXPECT_EQ(offset, 0min);
}

TEST(ParseUtcOffsetTest, RefusesZoneNamesAndMalformedOffsets) {
  for (std::string_view text : {"Asia/Tokyo", "UTC", "+9:00", "+0900", "09:00", "+09:00Z"}) {
    minutes offset;
    Status status = ParseUtcOffset(text, &offset);
    EXPECT_FALSE(status.ok()) << text;
    EXPECT_THAT(status.message(), HasSubstr("\"+09:00\"")) << text;
  }
}

TEST(ParseUtcOffsetTest, RefusesOffsetsNotInUse) {
  for (std::string_view text : {"+09:60", "+15:00", "-13:00"}) {
    minutes offset;
    Status status = ParseUtcOffset(text, &offset);
    EXPECT_FALSE(status.ok()) << text;
    EXPECT_THAT(status.message(), HasSubstr("-12:00 to +14:00")) << text;
  }
}

}  // namespace
}  // namespace atmwatch::engine
