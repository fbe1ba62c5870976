#include "config/sections/fees.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <optional>
#include <string>

#include "atmwatch/v1/events.pb.h"
#include "config/sections/section_testing.h"
#include "testing/test_events.h"

namespace atmwatch::config {
namespace {

using engine::Calendar;
using engine::DayClass;
using engine::FeeSchedule;

const FieldReader kFields("atmwatch.yaml");

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using v1::AtmTransaction;

constexpr DayClass kWeekday = DayClass::kWeekday;
constexpr DayClass kWeekend = DayClass::kWeekendOrHoliday;

constexpr int Minute(int hour, int minute) { return hour * 60 + minute; }

using atmwatch::testing::TransactionOf;
using atmwatch::testing::WithdrawalOf;

// `yaml` is a whole config document; its `fees` key is parsed.
FeeSchedule ParseOrDie(const std::string& yaml) {
  FeeSchedule schedule;
  Status status = ReadFees(kFields, YAML::Load(yaml)["fees"], &schedule);
  EXPECT_TRUE(status.ok()) << status.message();
  return schedule;
}

std::string ParseError(const std::string& yaml) {
  FeeSchedule schedule;
  Status status = ReadFees(kFields, YAML::Load(yaml)["fees"], &schedule);
  EXPECT_FALSE(status.ok()) << "accepted:\n" << yaml;
  return status.message();
}

TEST(FeeScheduleTest, OtherTypesEarnTheirConfiguredFlatFee) {
  FeeSchedule fees = ParseOrDie(
      "fees:\n"
      "  default_yen: 100\n"
      "  other_types_yen: {balance_inquiry: 10, transfer: 30}\n");
  auto commission = [&](AtmTransaction::Type type, AtmTransaction::Result result) {
    return fees.Commission(TransactionOf(type, result), kWeekend, Minute(3, 0));
  };

  EXPECT_EQ(commission(AtmTransaction::BALANCE_INQUIRY, AtmTransaction::APPROVED), 10);
  EXPECT_EQ(commission(AtmTransaction::BALANCE_INQUIRY, AtmTransaction::REVERSED), -10);
  EXPECT_EQ(commission(AtmTransaction::BALANCE_INQUIRY, AtmTransaction::DECLINED), 0);
  EXPECT_EQ(commission(AtmTransaction::TRANSFER, AtmTransaction::APPROVED), 30);
  EXPECT_EQ(commission(AtmTransaction::DEPOSIT, AtmTransaction::APPROVED), 0);
}

TEST(FeeScheduleTest, AbsentOrEmptyFeesKeyGivesTheDefault) {
  for (const char* yaml : {"data_dir: x\n", "fees:\n", "fees: ~\n"}) {
    FeeSchedule fees = ParseOrDie(yaml);
    EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(8, 45)), 105) << yaml;
    EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(8, 44)), 210) << yaml;
  }
}

constexpr const char* kTwoBandWeekdays =
    "fees:\n"
    "  bands:\n"
    "    - {days: weekday, start: \"09:00\", end: \"17:30\", yen: 110}\n"
    "    - {days: weekday, start: \"17:30\", end: \"09:00\", yen: 220}\n"
    "    - {days: weekend, start: \"00:00\", end: \"24:00\", yen: 330}\n";

TEST(FeeScheduleTest, ConfiguredBandsAtTheirEdges) {
  FeeSchedule fees = ParseOrDie(kTwoBandWeekdays);

  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(8, 59)), 220);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(9, 0)), 110);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(17, 29)), 110);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(17, 30)), 220);
}

TEST(FeeScheduleTest, UnquotedTimesAreReadAsWritten) {
  FeeSchedule fees = ParseOrDie(
      "fees:\n"
      "  default_yen: 0\n"
      "  bands: [{days: weekday, start: 08:45, end: 18:00, yen: 99}]\n");

  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(8, 45)), 99);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(18, 0)), 0);
}

TEST(FeeScheduleTest, BandWrappingMidnightCoversBothEndsOfTheDay) {
  FeeSchedule fees = ParseOrDie(kTwoBandWeekdays);

  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(23, 59)), 220);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, 0), 220);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekend, 0), 330);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekend, Minute(23, 59)), 330);
}

TEST(FeeScheduleTest, HolidayEarnsTheWeekendFee) {
  using namespace std::chrono;
  Calendar calendar(Calendar::kDefaultUtcOffset, 4, {2010y / January / 11});  // a Monday
  FeeSchedule fees = ParseOrDie(kTwoBandWeekdays);
  int64_t holiday_noon_ms = (sys_days(2010y / January / 11) + 3h).time_since_epoch() / 1ms;
  int64_t next_day_noon_ms = holiday_noon_ms + 24 * 3600 * 1000;
  AtmTransaction withdrawal = WithdrawalOf(AtmTransaction::APPROVED);

  EXPECT_EQ(fees.Commission(withdrawal, calendar.DayClassAt(holiday_noon_ms),
                            calendar.MinuteOfDay(holiday_noon_ms)),
            330);
  EXPECT_EQ(fees.Commission(withdrawal, calendar.DayClassAt(next_day_noon_ms),
                            calendar.MinuteOfDay(next_day_noon_ms)),
            110);
}

constexpr const char* kIssuerOverride =
    "fees:\n"
    "  issuers:\n"
    "    \"0005\":\n"
    "      bands:\n"
    "        - {days: weekday, start: \"08:45\", end: \"18:00\", yen: 0}\n"
    "    \"0009\":\n"
    "      bands:\n"
    "        - {days: all, start: \"00:00\", end: \"24:00\", yen: 150}\n";

TEST(FeeScheduleTest, IssuerBandsOverrideTheMainOnesWhereTheyApply) {
  FeeSchedule fees = ParseOrDie(kIssuerOverride);

  EXPECT_EQ(fees.WithdrawalFee("0005", kWeekday, Minute(8, 45)), 0);
  EXPECT_EQ(fees.WithdrawalFee("0005", kWeekday, Minute(8, 44)), 210);  // main night band
  EXPECT_EQ(fees.WithdrawalFee("0005", kWeekend, Minute(12, 0)), 210);  // main weekend band
  EXPECT_EQ(fees.WithdrawalFee("0009", kWeekend, Minute(12, 0)), 150);
  EXPECT_EQ(fees.WithdrawalFee("0001", kWeekday, Minute(12, 0)), 105);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(12, 0)), 105);
}

TEST(FeeScheduleTest, IssuerOverrideReachesCommissionAndReversal) {
  FeeSchedule fees = ParseOrDie(kIssuerOverride);

  EXPECT_EQ(fees.Commission(WithdrawalOf(AtmTransaction::APPROVED, "0009"), kWeekday, 600), 150);
  EXPECT_EQ(fees.Commission(WithdrawalOf(AtmTransaction::REVERSED, "0009"), kWeekday, 600), -150);
}

TEST(FeeScheduleTest, GapEarnsTheDefaultFee) {
  FeeSchedule fees = ParseOrDie(
      "fees:\n"
      "  default_yen: 50\n"
      "  bands:\n"
      "    - {days: weekday, start: \"08:45\", end: \"18:00\", yen: 105}\n");

  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(8, 44)), 50);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(8, 45)), 105);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(18, 0)), 50);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekend, Minute(12, 0)), 50);
}

TEST(FeeScheduleTest, DefaultFeeAloneIsAFlatSchedule) {
  FeeSchedule fees = ParseOrDie("fees: {bands: [], default_yen: 150}\n");

  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(12, 0)), 150);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekend, 0), 150);
}

TEST(FeeScheduleConfigTest, UnknownKeyIsNamedWithTheKnownOnes) {
  EXPECT_THAT(ParseError("fees:\n  default_yen: 100\n  bandz: []\n"),
              AllOf(HasSubstr("atmwatch.yaml:3: fees.bandz"), HasSubstr("unknown key"),
                    HasSubstr("bands, default_yen, issuers, other_types_yen")));
}

TEST(FeeScheduleConfigTest, UnknownKeyInsideABandIsNamed) {
  EXPECT_THAT(ParseError("fees:\n"
                         "  bands:\n"
                         "    - {days: all, start: \"00:00\", end: \"24:00\", yen: 1}\n"
                         "    - {days: all, start: \"00:00\", end: \"24:00\", yens: 1}\n"),
              AllOf(HasSubstr("atmwatch.yaml:4: fees.bands[1].yens"), HasSubstr("unknown key")));
}

TEST(FeeScheduleConfigTest, UnknownKeyInOtherTypesAndIssuersIsNamed) {
  EXPECT_THAT(ParseError("fees:\n  default_yen: 1\n  other_types_yen: {withdrawal: 5}\n"),
              HasSubstr("atmwatch.yaml:3: fees.other_types_yen.withdrawal"));
  EXPECT_THAT(ParseError("fees:\n  issuers:\n    \"0005\": {band: []}\n"),
              HasSubstr("atmwatch.yaml:3: fees.issuers.0005.band"));
}

TEST(FeeScheduleConfigTest, KeyGivenTwiceIsRefused) {
  EXPECT_THAT(ParseError("fees:\n  default_yen: 1\n  default_yen: 2\n"),
              AllOf(HasSubstr("atmwatch.yaml:3: fees.default_yen"), HasSubstr("twice")));
}

TEST(FeeScheduleConfigTest, OverlappingBandsNameBothBands) {
  EXPECT_THAT(ParseError("fees:\n"
                         "  default_yen: 0\n"
                         "  bands:\n"
                         "    - {days: weekday, start: \"08:45\", end: \"18:00\", yen: 105}\n"
                         "    - {days: weekday, start: \"17:00\", end: \"19:00\", yen: 210}\n"),
              AllOf(HasSubstr("atmwatch.yaml:5: fees.bands[1]"),
                    HasSubstr("overlaps fees.bands[0] (line 4) 08:45-18:00 at 17:00-18:00"),
                    HasSubstr("end where the next starts")));
}

TEST(FeeScheduleConfigTest, OverlapAcrossMidnightIsFound) {
  EXPECT_THAT(ParseError("fees:\n"
                         "  default_yen: 0\n"
                         "  bands:\n"
                         "    - {days: weekday, start: \"05:00\", end: \"09:00\", yen: 105}\n"
                         "    - {days: weekday, start: \"22:00\", end: \"06:00\", yen: 210}\n"),
              AllOf(HasSubstr("atmwatch.yaml:5: fees.bands[1]"), HasSubstr("at 05:00-06:00")));
}

TEST(FeeScheduleConfigTest, AllDaysBandOverlapsAWeekendBand) {
  EXPECT_THAT(ParseError("fees:\n"
                         "  bands:\n"
                         "    - {days: all, start: \"00:00\", end: \"24:00\", yen: 105}\n"
                         "    - {days: weekend, start: \"10:00\", end: \"11:00\", yen: 210}\n"),
              AllOf(HasSubstr("atmwatch.yaml:4: fees.bands[1]: weekend band"),
                    HasSubstr("overlaps fees.bands[0]")));
}

TEST(FeeScheduleConfigTest, OverlappingIssuerBandsAreNamedUnderTheIssuer) {
  EXPECT_THAT(ParseError("fees:\n"
                         "  issuers:\n"
                         "    \"0005\":\n"
                         "      bands:\n"
                         "        - {days: all, start: \"08:00\", end: \"12:00\", yen: 0}\n"
                         "        - {days: all, start: \"11:00\", end: \"13:00\", yen: 0}\n"),
              HasSubstr("atmwatch.yaml:6: fees.issuers.0005.bands[1]"));
}

TEST(FeeScheduleConfigTest, BadTimeNamesTheKeyAndTheFormat) {
  for (const char* bad : {"25:00", "8:45", "08:60", "noon", "24:01"}) {
    std::string yaml = std::string("fees:\n  bands:\n") +
                       "    - {days: all, start: \"00:00\", end: \"12:00\", yen: 1}\n" +
                       "    - {days: all, start: \"12:00\", end: \"" + bad + "\", yen: 1}\n";
    EXPECT_THAT(ParseError(yaml),
                AllOf(HasSubstr("atmwatch.yaml:4: fees.bands[1].end"), HasSubstr(bad),
                      HasSubstr("\"HH:MM\" from \"00:00\" to \"24:00\"")))
        << bad;
  }
}

TEST(FeeScheduleConfigTest, BandCannotStartAtMidnightOfTheNextDay) {
  EXPECT_THAT(ParseError("fees:\n"
                         "  bands:\n"
                         "    - {days: all, start: \"24:00\", end: \"24:00\", yen: 1}\n"),
              AllOf(HasSubstr("atmwatch.yaml:3: fees.bands[0].start"), HasSubstr("\"23:59\"")));
}

TEST(FeeScheduleConfigTest, EmptyBandSuggestsTheWholeDay) {
  EXPECT_THAT(ParseError("fees:\n"
                         "  bands:\n"
                         "    - {days: all, start: \"00:00\", end: \"00:00\", yen: 1}\n"),
              AllOf(HasSubstr("atmwatch.yaml:3: fees.bands[0]"), HasSubstr("empty"),
                    HasSubstr("end: \"24:00\"")));
}

TEST(FeeScheduleConfigTest, NegativeFeeIsRefused) {
  EXPECT_THAT(
      ParseError("fees:\n"
                 "  bands:\n"
                 "    - {days: all, start: \"00:00\", end: \"24:00\", yen: -105}\n"),
      AllOf(HasSubstr("atmwatch.yaml:3: fees.bands[0].yen"), HasSubstr("-105 is negative")));
  EXPECT_THAT(ParseError("fees: {default_yen: -1}\n"),
              HasSubstr("atmwatch.yaml:1: fees.default_yen"));
  EXPECT_THAT(ParseError("fees:\n  default_yen: 1\n  other_types_yen:\n    deposit: -5\n"),
              HasSubstr("atmwatch.yaml:4: fees.other_types_yen.deposit"));
}

TEST(FeeScheduleConfigTest, FeeMustBeAWholeNumber) {
  EXPECT_THAT(ParseError("fees:\n"
                         "  bands:\n"
                         "    - {days: all, start: \"00:00\", end: \"24:00\", yen: 10.5}\n"),
              AllOf(HasSubstr("atmwatch.yaml:3: fees.bands[0].yen"), HasSubstr("whole number")));
}

TEST(FeeScheduleConfigTest, MissingBandKeyIsNamed) {
  EXPECT_THAT(ParseError("fees:\n"
                         "  bands:\n"
                         "    - {days: all, start: \"00:00\", end: \"24:00\"}\n"),
              AllOf(HasSubstr("atmwatch.yaml:3: fees.bands[0].yen"), HasSubstr("missing")));
}

TEST(FeeScheduleConfigTest, UnknownDayClassIsNamed) {
  EXPECT_THAT(
      ParseError("fees:\n"
                 "  bands:\n"
                 "    - {days: weekends, start: \"00:00\", end: \"24:00\", yen: 1}\n"),
      AllOf(HasSubstr("atmwatch.yaml:3: fees.bands[0].days"), HasSubstr("weekday, weekend")));
}

TEST(FeeScheduleConfigTest, GapWithoutDefaultFeeIsNamed) {
  EXPECT_THAT(
      ParseError("fees:\n"
                 "  bands:\n"
                 "    - {days: weekday, start: \"08:45\", end: \"18:00\", yen: 105}\n"
                 "    - {days: weekend, start: \"00:00\", end: \"24:00\", yen: 210}\n"),
      AllOf(HasSubstr("atmwatch.yaml:3: fees.bands"),
            HasSubstr("weekday 00:00-08:45 is covered by no band"), HasSubstr("fees.default_yen")));
  EXPECT_THAT(ParseError("fees:\n"
                         "  bands:\n"
                         "    - {days: all, start: \"00:00\", end: \"23:00\", yen: 105}\n"),
              HasSubstr("weekday 23:00-24:00 is covered by no band"));
}

TEST(FeeScheduleConfigTest, WrongShapesAreNamed) {
  EXPECT_THAT(ParseError("fees: 105\n"),
              AllOf(HasSubstr("atmwatch.yaml:1: fees"), HasSubstr("a map")));
  EXPECT_THAT(ParseError("fees:\n  bands: {days: all}\n"),
              AllOf(HasSubstr("atmwatch.yaml:2: fees.bands"), HasSubstr("expected a list")));
  EXPECT_THAT(ParseError("fees:\n  issuers: [\"0005\"]\n"),
              AllOf(HasSubstr("atmwatch.yaml:2: fees.issuers"), HasSubstr("bank code")));
  EXPECT_THAT(ParseError("fees:\n  issuers:\n    \"0005\": {}\n"),
              AllOf(HasSubstr("atmwatch.yaml:3: fees.issuers.0005"), HasSubstr("no bands")));
}

TEST(FeeScheduleConfigTest, ErrorLeavesTheScheduleUntouched) {
  FeeSchedule fees = ParseOrDie("fees: {bands: [], default_yen: 150}\n");
  EXPECT_FALSE(ReadFees(kFields, YAML::Load("fees: {default_yen: -1}\n")["fees"], &fees).ok());
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, 0), 150);
}

TEST(FeeScheduleConfigTest, EveryBadFeeIsReported) {
  const std::string error = ParseError(
      "fees:\n  default_yen: -1\n  issuers:\n    \"0005\": {bands: 3}\n"
      "  other_types_yen: {withdrawal: 5}\n");
  EXPECT_THAT(error, AllOf(StartsWith("atmwatch.yaml:2: fees.default_yen: -1 is negative"),
                           HasSubstr("\natmwatch.yaml:4: fees.issuers.0005.bands: expected a list"),
                           HasSubstr("\natmwatch.yaml:5: fees.other_types_yen.withdrawal")));
}

// As a whole file reports them: ParseConfig reads the fees this way.
std::string FileErrorOf(const std::string& yaml) {
  FeeSchedule fees;
  return ErrorText(ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadFees(fields, root["fees"], &fees);
  }));
}

TEST(FeeScheduleConfigTest, ReportsInTheFormatOfTheFile) {
  EXPECT_THAT(FileErrorOf("data_dir: x\nfees:\n  bandz: []\n"),
              HasSubstr("atmwatch.yaml:3: fees.bandz: unknown key; did you mean 'bands'?"));
  EXPECT_THAT(FileErrorOf("fees:\n  default_yen: 1\n  issuers:\n    \"0005\": {bands: 3}\n"),
              HasSubstr("atmwatch.yaml:4: fees.issuers.0005.bands: expected a list"));
}

TEST(FeeScheduleConfigTest, UnknownKeyAndABadValueAreBothReported) {
  const std::string error = FileErrorOf("fees:\n  bandz: []\n  default_yen: -1\n");
  EXPECT_THAT(error, HasSubstr("atmwatch.yaml:2: fees.bandz: unknown key; did you mean 'bands'?"));
  EXPECT_THAT(error, HasSubstr("\natmwatch.yaml:3: fees.default_yen: -1 is negative"));
}

}  // namespace
}  // namespace atmwatch::config
