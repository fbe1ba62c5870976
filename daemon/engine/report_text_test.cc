#include "engine/report_text.h"

#include <gtest/gtest.h>

namespace atmwatch::engine {
namespace {

TEST(ReportTextTest, MoneyIsJpyMillionWithOneDecimalRoundedHalfAwayFromZero) {
  EXPECT_EQ(FormatYenMillions(0), "0.0");
  EXPECT_EQ(FormatYenMillions(5'000'000), "5.0");
  EXPECT_EQ(FormatYenMillions(67'049'999), "67.0");
  EXPECT_EQ(FormatYenMillions(67'050'000), "67.1");
  EXPECT_EQ(FormatYenMillions(1'234'567'890), "1234.6");
  EXPECT_EQ(FormatYenMillions(-150'000), "-0.2");
  EXPECT_EQ(FormatYenMillions(-40'000), "0.0");
  EXPECT_EQ(FormatYenMillions(-269'950'000), "-270.0");
}

TEST(ReportTextTest, PercentChangeIsOfAPositiveEarlierFigureOnly) {
  EXPECT_EQ(FormatPercentChange(10'000'000, 15'000'000), "+50.0%");
  EXPECT_EQ(FormatPercentChange(10'000'000, 7'500'000), "-25.0%");
  EXPECT_EQ(FormatPercentChange(10'000'000, 10'000'000), "+0.0%");
  EXPECT_EQ(FormatPercentChange(std::nullopt, 10'000'000), "-");
  EXPECT_EQ(FormatPercentChange(0, 10'000'000), "-");
  EXPECT_EQ(FormatPercentChange(-5'000'000, 10'000'000), "-");
}

TEST(ReportTextTest, ChangeInMillionsCarriesItsSign) {
  EXPECT_EQ(FormatYenMillionsChange(-698'000'000, -1'000'000'000), "-302.0");
  EXPECT_EQ(FormatYenMillionsChange(-1'000'000'000, -400'000'000), "+600.0");
  EXPECT_EQ(FormatYenMillionsChange(5'000'000, 5'000'000), "+0.0");
  EXPECT_EQ(FormatYenMillionsChange(std::nullopt, 5'000'000), "-");
}

}  // namespace
}  // namespace atmwatch::engine
