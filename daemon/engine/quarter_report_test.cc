#include "engine/quarter_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/usage_testing.h"

namespace atmwatch::engine {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;

constexpr char kCsvHeader[] =
    "quarter,start,end,revenue,cost,expenses,total,operating_income,atms,tx_per_atm_day";

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ',')) fields.push_back(field);
  return fields;
}

// The non-comment lines of a CSV text, header first, as maps by column name.
std::vector<std::map<std::string, std::string>> ParseCsv(std::istream& in) {
  std::vector<std::map<std::string, std::string>> rows;
  std::vector<std::string> header;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = SplitCsvLine(line);
    if (header.empty()) {
      header = fields;
      continue;
    }
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

FiscalQuarter QuarterOfLabel(const std::string& label) {  // "1Q08" -> FY2008 1Q
  return {2000 + std::stoi(label.substr(2)), label[0] - '0'};
}

QuarterRow SampleRow() {
  QuarterRow row;
  row.complete = true;
  row.quarter = {2008, 1};
  row.label = "1Q08";
  row.start = 2008y / April / 1;
  row.end = 2008y / June / 30;
  row.revenue_yen = 5'000'000;
  row.cost_yen = 15'000'000;
  row.expenses_yen = 58'000'000;
  row.total_yen = 73'000'000;
  row.operating_income_yen = -68'000'000;
  row.atms = 12;
  row.tx_per_atm_day = 23.456;
  return row;
}

TEST(QuarterReportTest, CsvHasTheSpecHeaderAndOneLinePerQuarter) {
  std::vector<QuarterRow> rows = {SampleRow()};
  EXPECT_EQ(FormatQuarterCsv(rows), std::string(kCsvHeader) +
                                        "\n1Q08,2008-04-01,2008-06-30,5.0,15.0,58.0,73.0,-68.0,"
                                        "12,23.5\n");
  EXPECT_EQ(FormatQuarterCsv({}), std::string(kCsvHeader) + "\n");
}

std::vector<std::string> Lines(const std::string& text) {
  std::stringstream stream(text);
  std::vector<std::string> lines;
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

TEST(QuarterReportTest, TableHasALinePerFigureAndAColumnPerQuarter) {
  QuarterRow second = SampleRow();
  second.quarter = {2008, 2};
  second.label = "2Q08";
  second.revenue_yen = 6'000'000;
  std::vector<QuarterRow> rows = {SampleRow(), second};

  const std::vector<std::string> lines = Lines(FormatQuarterTable(rows, {}));
  ASSERT_EQ(lines.size(), 13u);
  EXPECT_THAT(lines[0], testing::MatchesRegex(R"(\(JPY million\) +1Q08 +2Q08)"));
  EXPECT_THAT(lines[1], testing::MatchesRegex(R"(Revenue +5\.0 +6\.0)"));
  EXPECT_THAT(lines[2], testing::MatchesRegex(R"(  YoY +- +-)"));
  EXPECT_THAT(lines[3], testing::MatchesRegex(R"(  QoQ +- +\+20\.0%)"));
  EXPECT_THAT(lines[4], testing::MatchesRegex(R"(Cost +15\.0 +15\.0)"));
  EXPECT_THAT(lines[5], testing::MatchesRegex(R"(Gross profit +-10\.0 +-9\.0)"));
  EXPECT_THAT(lines[6], testing::MatchesRegex(R"(Expenses +58\.0 +58\.0)"));
  EXPECT_THAT(lines[7], testing::MatchesRegex(R"(Total +73\.0 +73\.0)"));
  EXPECT_THAT(lines[8], testing::MatchesRegex(R"(Operating income +-68\.0 +-68\.0)"));
  EXPECT_THAT(lines[9], testing::MatchesRegex(R"(  YoY +- +-)"));
  EXPECT_THAT(lines[10], testing::MatchesRegex(R"(  QoQ +- +\+0\.0)"));
  EXPECT_THAT(lines[11], testing::MatchesRegex(R"(ATMs +12 +12)"));
  EXPECT_THAT(lines[12], testing::MatchesRegex(R"(Transactions per ATM per day +23\.5 +23\.5)"));
  // Columns line up: every line is as long as the header.
  for (const std::string& line : lines) EXPECT_EQ(line.size(), lines[0].size()) << line;
}

// The investor-relations layout: each whole fiscal year after its fourth
// quarter, a quarter against the same quarter a year before, the year
// against the year before; the period in progress is not compared.
TEST(QuarterReportTest, TableCarriesEachWholeYearAfterItsFourthQuarter) {
  std::vector<QuarterRow> rows;
  for (int year : {2008, 2009}) {
    for (int q = 1; q <= 4; ++q) {
      QuarterRow row = SampleRow();
      row.quarter = {year, q};
      row.label = QuarterLabel(row.quarter);
      row.revenue_yen = (year == 2008 ? 10'000'000 : 15'000'000) + q * 1'000'000;
      row.operating_income_yen = -50'000'000 + (year - 2008) * 20'000'000;
      rows.push_back(row);
    }
  }
  rows.back().complete = false;  // 4Q09 in progress
  YearRow fy2008 = {};
  fy2008.fiscal_year = 2008;
  fy2008.label = "FY2008";
  fy2008.complete = true;
  fy2008.revenue_yen = 50'000'000;
  fy2008.operating_income_yen = -200'000'000;
  YearRow fy2009 = fy2008;
  fy2009.fiscal_year = 2009;
  fy2009.label = "FY2009";
  fy2009.complete = false;
  const std::vector<YearRow> years = {fy2008, fy2009};

  const std::vector<std::string> lines = Lines(FormatQuarterTable(rows, years));
  EXPECT_THAT(lines[0],
              testing::MatchesRegex(
                  R"(\(JPY million\) +1Q08 +2Q08 +3Q08 +4Q08 +FY2008 +1Q09 +2Q09 +3Q09 +4Q09)"));
  EXPECT_THAT(lines[1],
              testing::MatchesRegex(
                  R"(Revenue +11\.0 +12\.0 +13\.0 +14\.0 +50\.0 +16\.0 +17\.0 +18\.0 +19\.0)"));
  // 1Q09 against 1Q08: 16 / 11; 4Q09 is in progress.
  EXPECT_THAT(lines[2],
              testing::MatchesRegex(R"(  YoY +- +- +- +- +- +\+45\.5% +\+41\.7% +\+38\.5% +-)"));
  // 1Q09 against 4Q08; FY2008 has no quarter before it.
  EXPECT_THAT(lines[3],
              testing::MatchesRegex(
                  R"(  QoQ +- +\+9\.1% +\+8\.3% +\+7\.7% +- +\+14\.3% +\+6\.[23]% +\+5\.9% +-)"));
  EXPECT_THAT(lines[9],
              testing::MatchesRegex(R"(  YoY +- +- +- +- +- +\+20\.0 +\+20\.0 +\+20\.0 +-)"));
}

TEST(QuarterReportTest, QuarterInProgressEndsOnTheAsOfDayAndLaterOnesAreLeftOut) {
  Calendar calendar;
  DailyUsage usage;
  Ledger ledger;
  CostModel model{.fixed_monthly_yen = 3'650'000};  // 120,000 yen a day
  const int64_t q1_start = DayNumberOf(2010y / April / 1);
  const int64_t as_of = DayNumberOf(2010y / July / 10);
  // ATM 0 from the first day, ATM 1 from 2010-06-21: 91 + 10 ATM-days in 1Q.
  for (int64_t day = q1_start; day <= as_of; ++day) {
    AddWithdrawal(usage, 0, day, 100);
    AddWithdrawal(usage, 0, day, 100);
  }
  for (int64_t day = DayNumberOf(2010y / June / 21); day <= as_of; day += 2) {
    AddWithdrawal(usage, 1, day, 100);
  }
  BusinessRecords records{usage, ledger, calendar, model};

  std::vector<QuarterRow> rows = BuildQuarterRows(records, {2010, 1}, {2010, 4}, as_of);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].label, "1Q10");
  EXPECT_EQ(rows[0].end, 2010y / June / 30);
  EXPECT_EQ(rows[0].atms, 2);
  EXPECT_DOUBLE_EQ(rows[0].tx_per_atm_day, (91.0 * 2 + 5) / (91 + 10));
  EXPECT_EQ(rows[0].revenue_yen, (91 * 2 + 5) * 100);
  EXPECT_EQ(rows[0].expenses_yen, 120'000 * 91);
  EXPECT_EQ(rows[1].label, "2Q10");
  EXPECT_EQ(rows[1].start, 2010y / July / 1);
  EXPECT_EQ(rows[1].end, 2010y / July / 10);
  EXPECT_EQ(rows[1].expenses_yen, 120'000 * 10);
  EXPECT_EQ(rows[1].total_yen, rows[1].cost_yen + rows[1].expenses_yen);
  EXPECT_EQ(rows[1].operating_income_yen, rows[1].revenue_yen - rows[1].total_yen);
}

// Splits `total` into `parts` whole amounts that add up to it.
std::vector<int64_t> Split(int64_t total, int64_t parts) {
  std::vector<int64_t> amounts(static_cast<std::size_t>(parts), total / parts);
  for (int64_t i = 0; i < total % parts; ++i) ++amounts[static_cast<std::size_t>(i)];
  return amounts;
}

int64_t Millions(const std::string& text) { return std::llround(std::stod(text) * 1'000'000); }

// The reference quarters booked as finance and the ATMs would: cost and
// expenses at each month's end, the commission earned evenly by a fleet that
// grows by 10 ATMs a quarter. Operating income is never fed: the reports
// must compute it.
class TrustNetworksBooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::filesystem::path csv_path =
        std::filesystem::path(ATMWATCH_DATA_DIR) / "trust-networks-quarters.csv";
    std::ifstream csv(csv_path);
    ASSERT_TRUE(csv) << csv_path << " not found";
    source_ = ParseCsv(csv);
    ASSERT_FALSE(source_.empty());
    for (std::size_t q = 0; q < source_.size(); ++q) {
      const std::map<std::string, std::string>& row = source_[q];
      const DayRange days = QuarterDays(calendar_, QuarterOfLabel(row.at("quarter")));
      ASSERT_EQ(FormatDate(DateOfDayNumber(days.first)), row.at("start"));
      ASSERT_EQ(FormatDate(DateOfDayNumber(days.last)), row.at("end"));
      const int64_t atms = 10 * static_cast<int64_t>(q + 1);
      std::vector<int64_t> commissions = Split(Millions(row.at("revenue")), days.days() * atms);
      std::size_t next = 0;
      for (int64_t day = days.first; day <= days.last; ++day) {
        for (AtmIndex atm = 0; atm < atms; ++atm)
          AddWithdrawal(usage_, atm, day, commissions[next++]);
      }
      std::vector<int64_t> month_ends;
      for (int64_t day = days.first; day <= days.last; ++day) {
        if (DateOfDayNumber(day + 1).day() == std::chrono::day(1)) month_ends.push_back(day);
      }
      ASSERT_EQ(month_ends.size(), 3u);
      std::vector<int64_t> costs = Split(Millions(row.at("cost")), 3);
      std::vector<int64_t> expenses = Split(Millions(row.at("expenses")), 3);
      for (std::size_t m = 0; m < 3; ++m) {
        ledger_.Book(LedgerCategory::kCost, month_ends[m], costs[m]);
        ledger_.Book(LedgerCategory::kExpense, month_ends[m], expenses[m]);
      }
      last_day_ = days.last;
    }
  }
  BusinessRecords records() const { return {usage_, ledger_, calendar_, model_}; }

  std::vector<std::map<std::string, std::string>> source_;
  Calendar calendar_;
  DailyUsage usage_;  // default retention: FY2008 is older than 400 days by the end
  Ledger ledger_;
  CostModel model_;
  int64_t last_day_ = 0;
};

TEST_F(TrustNetworksBooksTest, ReproducesTheQuarters) {
  const std::vector<std::map<std::string, std::string>>& source = source_;
  const BusinessRecords records = this->records();
  const int64_t last_day = last_day_;
  const FiscalQuarter first = QuarterOfLabel(source.front().at("quarter"));
  const FiscalQuarter last = QuarterOfLabel(source.back().at("quarter"));

  std::stringstream report(FormatQuarterCsv(BuildQuarterRows(records, first, last, last_day)));
  std::string header;
  std::getline(report, header);
  EXPECT_EQ(header, kCsvHeader);
  report.seekg(0);
  const std::vector<std::map<std::string, std::string>> produced = ParseCsv(report);
  ASSERT_EQ(produced.size(), source.size());
  for (std::size_t q = 0; q < source.size(); ++q) {
    const std::string& label = source[q].at("quarter");
    EXPECT_EQ(produced[q].at("quarter"), label);
    EXPECT_EQ(produced[q].at("start"), source[q].at("start"));
    EXPECT_EQ(produced[q].at("end"), source[q].at("end"));
    for (const char* column : {"revenue", "cost", "expenses", "total", "operating_income"}) {
      EXPECT_NEAR(std::stod(produced[q].at(column)), std::stod(source[q].at(column)), 1.0)
          << label << " " << column;
    }
    EXPECT_EQ(produced[q].at("atms"), std::to_string(10 * (q + 1))) << label;
    EXPECT_EQ(produced[q].at("tx_per_atm_day"), "1.0") << label;
  }
}

// IIJ's FY2009 results give the Trust Networks segment by fiscal year (JPY
// million), FY2008 / FY2009: revenue 24 / 207, cost 422 / 964, expenses
// (SG&A) 299 / 243, gross profit -399 / -757, operating income -698 /
// about -1,000. The quarters are rounded to the million, so their years
// land within 2.
TEST_F(TrustNetworksBooksTest, FiscalYearsMatchTheAnnualResults) {
  const std::vector<YearRow> years = BuildYearRows(records(), 2008, 2009, last_day_);
  ASSERT_EQ(years.size(), 2u);
  const auto millions = [](int64_t yen) { return static_cast<double>(yen) / 1e6; };
  EXPECT_TRUE(years[0].complete);
  EXPECT_TRUE(years[1].complete);
  EXPECT_NEAR(millions(years[0].revenue_yen), 24, 2.0);
  EXPECT_NEAR(millions(years[0].cost_yen), 422, 2.0);
  EXPECT_NEAR(millions(years[0].expenses_yen), 299, 2.0);
  EXPECT_NEAR(millions(years[0].gross_profit_yen()), -399, 2.0);
  EXPECT_NEAR(millions(years[0].operating_income_yen), -698, 2.0);
  EXPECT_NEAR(millions(years[1].revenue_yen), 207, 2.0);
  EXPECT_NEAR(millions(years[1].cost_yen), 964, 2.0);
  EXPECT_NEAR(millions(years[1].expenses_yen), 243, 2.0);
  EXPECT_NEAR(millions(years[1].gross_profit_yen()), -757, 2.0);
  EXPECT_NEAR(millions(years[1].operating_income_yen), -1000, 2.0);

  // A year is the sum of its quarters, to the yen.
  const std::vector<QuarterRow> quarters =
      BuildQuarterRows(records(), {2008, 1}, {2009, 4}, last_day_);
  for (const YearRow& year : years) {
    int64_t revenue = 0, cost = 0, expenses = 0, income = 0;
    for (const QuarterRow& quarter : quarters) {
      if (quarter.quarter.fiscal_year != year.fiscal_year) continue;
      revenue += quarter.revenue_yen;
      cost += quarter.cost_yen;
      expenses += quarter.expenses_yen;
      income += quarter.operating_income_yen;
    }
    EXPECT_EQ(year.revenue_yen, revenue) << year.label;
    EXPECT_EQ(year.cost_yen, cost) << year.label;
    EXPECT_EQ(year.expenses_yen, expenses) << year.label;
    EXPECT_EQ(year.operating_income_yen, income) << year.label;
  }
}

}  // namespace
}  // namespace atmwatch::engine
