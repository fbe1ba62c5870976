#include "engine/fiscal_year_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "engine/usage_testing.h"

namespace atmwatch::engine {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;

// Two ATMs earning 100 yen a day each from FY2009 on, 1,000,000 yen of cost
// booked at the end of each fiscal year, fixed expenses of 120,000 yen a day.
class FiscalYearReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int64_t day = DayNumberOf(2009y / April / 1); day <= DayNumberOf(2010y / July / 10);
         ++day) {
      AddWithdrawal(usage_, 0, day, 100);
      AddWithdrawal(usage_, 1, day, 100);
    }
    ledger_.Book(LedgerCategory::kCost, DayNumberOf(2010y / March / 31), 1'000'000);
  }
  BusinessRecords records() const { return {usage_, ledger_, calendar_, model_}; }

  Calendar calendar_;
  DailyUsage usage_;
  Ledger ledger_;
  CostModel model_{.fixed_monthly_yen = 3'650'000};  // 120,000 yen a day
};

TEST_F(FiscalYearReportTest, AYearSumsItsDaysAndTheYearInProgressEndsOnTheAsOfDay) {
  const std::vector<YearRow> rows =
      BuildYearRows(records(), 2009, 2011, DayNumberOf(2010y / July / 10));
  ASSERT_EQ(rows.size(), 2u);  // FY2011 starts after the as-of day

  EXPECT_EQ(rows[0].label, "FY2009");
  EXPECT_EQ(rows[0].fiscal_year, 2009);
  EXPECT_EQ(rows[0].start, 2009y / April / 1);
  EXPECT_EQ(rows[0].end, 2010y / March / 31);
  EXPECT_TRUE(rows[0].complete);
  EXPECT_EQ(rows[0].revenue_yen, 365 * 200);
  EXPECT_EQ(rows[0].cost_yen, 1'000'000);
  EXPECT_EQ(rows[0].gross_profit_yen(), 365 * 200 - 1'000'000);
  EXPECT_EQ(rows[0].atms, 2);
  EXPECT_DOUBLE_EQ(rows[0].tx_per_atm_day, 1.0);

  EXPECT_EQ(rows[1].label, "FY2010");
  EXPECT_EQ(rows[1].end, 2010y / July / 10);
  EXPECT_FALSE(rows[1].complete);
  EXPECT_EQ(rows[1].revenue_yen, 101 * 200);
  EXPECT_EQ(rows[1].total_yen, rows[1].cost_yen + rows[1].expenses_yen);
  EXPECT_EQ(rows[1].operating_income_yen, rows[1].revenue_yen - rows[1].total_yen);
}

TEST_F(FiscalYearReportTest, CsvHasTheYearHeaderWithGrossProfit) {
  const std::vector<YearRow> rows =
      BuildYearRows(records(), 2009, 2009, DayNumberOf(2010y / July / 10));
  std::stringstream csv(FormatYearCsv(rows));
  std::string header, line;
  std::getline(csv, header);
  std::getline(csv, line);
  EXPECT_EQ(header,
            "fiscal_year,start,end,revenue,cost,expenses,total,gross_profit,operating_income,atms,"
            "tx_per_atm_day");
  // 73,000 yen of commission, 1.0 M of cost, 365 days of 120,000 yen.
  EXPECT_EQ(line, "FY2009,2009-04-01,2010-03-31,0.1,1.0,43.8,44.8,-0.9,-44.7,2,1.0");
  EXPECT_EQ(FormatYearCsv({}),
            "fiscal_year,start,end,revenue,cost,expenses,total,gross_profit,operating_income,atms,"
            "tx_per_atm_day\n");
}

TEST_F(FiscalYearReportTest, JsonHasWholeYenAndSaysWhetherTheYearIsWhole) {
  const std::vector<YearRow> rows =
      BuildYearRows(records(), 2009, 2010, DayNumberOf(2010y / July / 10));
  const std::string json = FormatYearJson(rows, 2010y / July / 10);
  EXPECT_THAT(json, HasSubstr(R"({"as_of":"2010-07-10","fiscal_years":[{"fiscal_year":"FY2009",)"
                              R"("start":"2009-04-01","end":"2010-03-31","complete":true,)"
                              R"("revenue_yen":73000,"cost_yen":1000000,)"));
  EXPECT_THAT(json, HasSubstr(R"("gross_profit_yen":-927000,)"));
  EXPECT_THAT(json, HasSubstr(R"({"fiscal_year":"FY2010","start":"2010-04-01",)"
                              R"("end":"2010-07-10","complete":false,)"));
}

TEST_F(FiscalYearReportTest, TableComparesEachWholeYearWithTheOneBefore) {
  const std::vector<YearRow> rows =
      BuildYearRows(records(), 2008, 2010, DayNumberOf(2010y / July / 10));
  std::stringstream table(FormatYearTable(rows));
  std::vector<std::string> lines;
  for (std::string line; std::getline(table, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 11u);  // no QoQ lines
  EXPECT_THAT(lines[0], testing::MatchesRegex(R"(\(JPY million\) +FY2008 +FY2009 +FY2010)"));
  // FY2008 earned nothing, so FY2009 has no share to grow by; FY2010 is in progress.
  EXPECT_THAT(lines[2], testing::MatchesRegex(R"(  YoY +- +- +-)"));
  EXPECT_THAT(lines[3], testing::MatchesRegex(R"(Cost +0\.0 +1\.0 +0\.0)"));
  EXPECT_THAT(lines[4], testing::MatchesRegex(R"(Gross profit +0\.0 +-0\.9 +0\.0)"));
  // Operating income falls by FY2009's cost against FY2008's expenses alone.
  EXPECT_THAT(lines[8], testing::MatchesRegex(R"(  YoY +- +-[0-9]+\.[0-9] +-)"));
}

}  // namespace
}  // namespace atmwatch::engine
