#include "cli/quarter_figures.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace atmwatch::cli {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;

constexpr const char* kCsv =
    "# comment\n"
    "quarter,start,end,revenue,cost,expenses,total,operating_income\n"
    "1Q08,2008-04-01,2008-06-30,5,15,58,72,-67\n"
    "2Q08,2008-07-01,2008-09-30,6.5,85,81,166,-160\r\n";

TEST(QuarterFiguresTest, ReadsMillionsAsYen) {
  std::vector<QuarterFigures> rows;
  ASSERT_TRUE(ParseQuarterFigures(kCsv, &rows).ok());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].label, "1Q08");
  EXPECT_EQ(rows[0].start, 2008y / April / 1);
  EXPECT_EQ(rows[0].end, 2008y / June / 30);
  EXPECT_EQ(rows[0].revenue_yen, 5'000'000);
  EXPECT_EQ(rows[0].cost_yen, 15'000'000);
  EXPECT_EQ(rows[0].expenses_yen, 58'000'000);
  EXPECT_EQ(rows[1].revenue_yen, 6'500'000);
}

TEST(QuarterFiguresTest, BadNumberNamesTheLine) {
  std::vector<QuarterFigures> rows;
  const Status status = ParseQuarterFigures(
      "quarter,start,end,revenue,cost,expenses\n1Q08,2008-04-01,2008-06-30,five,1,2\n", &rows);
  EXPECT_THAT(status.message(), HasSubstr("line 2: 'five' is not a number"));
}

TEST(QuarterFiguresTest, GapBetweenQuartersIsRefused) {
  std::vector<QuarterFigures> rows;
  const Status status = ParseQuarterFigures(
      "quarter,start,end,revenue,cost,expenses\n"
      "1Q08,2008-04-01,2008-06-30,1,1,1\n"
      "3Q08,2008-10-01,2008-12-31,1,1,1\n",
      &rows);
  EXPECT_THAT(status.message(), HasSubstr("line 3: 3Q08 does not start the day after 1Q08"));
}

TEST(QuarterFiguresTest, MissingHeaderOrRowsIsRefused) {
  std::vector<QuarterFigures> rows;
  EXPECT_THAT(ParseQuarterFigures("1Q08,2008-04-01,2008-06-30,1,1,1\n", &rows).message(),
              HasSubstr("expected the header"));
  EXPECT_THAT(ParseQuarterFigures("quarter,start,end,revenue,cost,expenses\n", &rows).message(),
              HasSubstr("no quarters"));
}

TEST(QuarterFiguresTest, ReferenceFileParses) {
  std::vector<QuarterFigures> rows;
  const Status status = LoadQuarterFigures(ATMWATCH_DATA_DIR "/trust-networks-quarters.csv", &rows);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(rows.front().start, 2008y / April / 1);
}

}  // namespace
}  // namespace atmwatch::cli
