#include "engine/plan_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace atmwatch::engine {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// FY2010 as of the end of 1Q10: 1Q10 finished, the rest forecast; the plan
// budgets the year and 1Q10's revenue.
FiscalYearOutlook SampleOutlook() {
  const Calendar calendar;
  FiscalYearOutlook outlook;
  outlook.fiscal_year = 2010;
  outlook.as_of_day = DayNumberOf(2010y / June / 30);
  outlook.basis.fleet_atms = 136;
  outlook.basis.commission_per_transaction_yen = 105;
  for (int q = 1; q <= 4; ++q) {
    PeriodOutlook quarter;
    quarter.label = QuarterLabel({2010, q});
    quarter.days = QuarterDays(calendar, {2010, q});
    const Money money{100'000'000, 200'000'000, 50'000'000};
    if (q == 1) {
      quarter.started = quarter.finished = true;
      quarter.actual = money;
      quarter.forecast = {money, money, money};
      quarter.plan.revenue_yen = 120'000'000;
    } else {
      quarter.forecast = {
          {90'000'000, 200'000'000, 50'000'000}, money, {110'000'000, 200'000'000, 50'000'000}};
    }
    outlook.quarters.push_back(quarter);
  }
  outlook.year.label = "FY2010";
  outlook.year.days = FiscalYearDays(calendar, 2010);
  outlook.year.actual = outlook.quarters[0].actual;
  outlook.year.forecast = {{370'000'000, 800'000'000, 200'000'000},
                           {400'000'000, 800'000'000, 200'000'000},
                           {430'000'000, 800'000'000, 200'000'000}};
  outlook.year.plan.revenue_yen = 500'000'000;  // operating income: derived
  outlook.year.plan.cost_yen = 700'000'000;
  outlook.year.plan.expenses_yen = 200'000'000;
  return outlook;
}

std::vector<std::string> Lines(const std::string& text) {
  std::stringstream stream(text);
  std::vector<std::string> lines;
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

TEST(PlanReportTest, TableHasABlockPerFigureAndAColumnPerQuarterAndTheYear) {
  const std::vector<std::string> lines = Lines(FormatPlanTable(SampleOutlook()));
  ASSERT_EQ(lines.size(), 2u + 4 * 7);
  EXPECT_EQ(lines[0], "FY2010 as of 2010-06-30");
  EXPECT_THAT(lines[1], MatchesRegex(R"(\(JPY million\) +1Q10 +2Q10 +3Q10 +4Q10 +FY2010)"));
  EXPECT_EQ(lines[2], "Revenue");
  EXPECT_THAT(lines[3], MatchesRegex(R"(  plan +120\.0 +- +- +- +500\.0)"));
  EXPECT_THAT(lines[4], MatchesRegex(R"(  actual +100\.0 +0\.0 +0\.0 +0\.0 +100\.0)"));
  EXPECT_THAT(lines[5], MatchesRegex(R"(  forecast +100\.0 +100\.0 +100\.0 +100\.0 +400\.0)"));
  EXPECT_THAT(lines[6], MatchesRegex(R"(    low +100\.0 +90\.0 +90\.0 +90\.0 +370\.0)"));
  EXPECT_THAT(lines[7], MatchesRegex(R"(    high +100\.0 +110\.0 +110\.0 +110\.0 +430\.0)"));
  EXPECT_THAT(lines[8], MatchesRegex(R"(  variance +-20\.0 +- +- +- +-100\.0)"));
  // Operating income: the year's plan is its revenue less cost and expenses.
  EXPECT_EQ(lines[23], "Operating income");
  EXPECT_THAT(lines[24], MatchesRegex(R"(  plan +- +- +- +- +-400\.0)"));
  EXPECT_THAT(lines[26],
              MatchesRegex(R"(  forecast +-150\.0 +-150\.0 +-150\.0 +-150\.0 +-600\.0)"));
  EXPECT_THAT(lines[29], MatchesRegex(R"(  variance +- +- +- +- +-200\.0)"));
}

TEST(PlanReportTest, CsvHasALinePerPeriodAndFigure) {
  const std::vector<std::string> lines = Lines(FormatPlanCsv(SampleOutlook()));
  ASSERT_EQ(lines.size(), 1u + 5 * 6);
  EXPECT_EQ(lines[0],
            "period,start,end,figure,revenue,cost,expenses,total,gross_profit,operating_income");
  EXPECT_EQ(lines[1], "1Q10,2010-04-01,2010-06-30,plan,120.0,,,,,");
  EXPECT_EQ(lines[2], "1Q10,2010-04-01,2010-06-30,actual,100.0,200.0,50.0,250.0,-100.0,-150.0");
  EXPECT_EQ(lines[25], "FY2010,2010-04-01,2011-03-31,plan,500.0,700.0,200.0,900.0,-200.0,-400.0");
  EXPECT_EQ(lines[30],
            "FY2010,2010-04-01,2011-03-31,variance,-100.0,100.0,0.0,100.0,-200.0,-200.0");
}

TEST(PlanReportTest, JsonHasPlanActualAndForecastPerPeriodInWholeYen) {
  const std::string json = FormatPlanJson(SampleOutlook());
  EXPECT_THAT(json, HasSubstr(R"({"fiscal_year":"FY2010","as_of":"2010-06-30","trend":null,)"
                              R"("fleet_atms":136,"commission_per_transaction_yen":105.00,)"));
  EXPECT_THAT(json, HasSubstr(R"({"period":"1Q10","start":"2010-04-01","end":"2010-06-30",)"
                              R"("plan":{"revenue_yen":120000000,"cost_yen":null,)"));
  EXPECT_THAT(json, HasSubstr(R"("forecast":{"revenue_yen":400000000,"cost_yen":800000000,)"
                              R"("expenses_yen":200000000,"total_yen":1000000000,)"
                              R"("gross_profit_yen":-400000000,"operating_income_yen":-600000000,)"
                              R"("low":{"revenue_yen":370000000,)"));
  EXPECT_THAT(json, HasSubstr(R"("variance":{"revenue_yen":-100000000,"cost_yen":100000000,)"));
}

}  // namespace
}  // namespace atmwatch::engine
