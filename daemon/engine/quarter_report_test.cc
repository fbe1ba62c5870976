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

void AddTransaction(DailyUsage& usage, AtmIndex atm, int64_t day, int64_t commission_yen) {
  usage.Add({.atm = atm,
             .local_day = day,
             .hour = 12,
             .time_unix_ms = day * 86'400'000,
             .type = kWithdrawal,
             .result = kApproved,
             .amount_yen = 10000,
             .commission_yen = commission_yen});
}

TEST(QuarterReportTest, MoneyIsJpyMillionWithOneDecimalRoundedHalfAwayFromZero) {
  EXPECT_EQ(FormatYenMillions(0), "0.0");
  EXPECT_EQ(FormatYenMillions(5'000'000), "5.0");
  EXPECT_EQ(FormatYenMillions(67'049'999), "67.0");
  EXPECT_EQ(FormatYenMillions(67'050'000), "67.1");
  EXPECT_EQ(FormatYenMillions(1'234'567'890), "1234.6");
  EXPECT_EQ(FormatYenMillions(-150'000), "-0.2");
  EXPECT_EQ(FormatYenMillions(-40'000), "0.0");
  EXPECT_EQ(FormatYenMillions(-269'950'000), "-270.0");
}

QuarterRow SampleRow() {
  QuarterRow row;
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

TEST(QuarterReportTest, TableHasARowPerFigureAndAColumnPerQuarter) {
  QuarterRow second = SampleRow();
  second.label = "2Q08";
  second.revenue_yen = 6'000'000;
  std::vector<QuarterRow> rows = {SampleRow(), second};

  std::stringstream table(FormatQuarterTable(rows));
  std::vector<std::string> lines;
  for (std::string line; std::getline(table, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 8u);
  EXPECT_THAT(lines[0], testing::MatchesRegex(R"(\(JPY million\) +1Q08 +2Q08)"));
  EXPECT_THAT(lines[1], testing::MatchesRegex(R"(Revenue +5\.0 +6\.0)"));
  EXPECT_THAT(lines[2], testing::MatchesRegex(R"(Cost +15\.0 +15\.0)"));
  EXPECT_THAT(lines[3], testing::MatchesRegex(R"(Expenses +58\.0 +58\.0)"));
  EXPECT_THAT(lines[4], testing::MatchesRegex(R"(Total +73\.0 +73\.0)"));
  EXPECT_THAT(lines[5], testing::MatchesRegex(R"(Operating income +-68\.0 +-68\.0)"));
  EXPECT_THAT(lines[6], testing::MatchesRegex(R"(ATMs +12 +12)"));
  EXPECT_THAT(lines[7], testing::MatchesRegex(R"(Transactions per ATM per day +23\.5 +23\.5)"));
  // Columns line up: every line is as long as the header.
  for (const std::string& line : lines) EXPECT_EQ(line.size(), lines[0].size()) << line;
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
    AddTransaction(usage, 0, day, 100);
    AddTransaction(usage, 0, day, 100);
  }
  for (int64_t day = DayNumberOf(2010y / June / 21); day <= as_of; day += 2) {
    AddTransaction(usage, 1, day, 100);
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

TEST(QuarterReportTest, ReproducesTheTrustNetworksQuarters) {
  const std::filesystem::path csv_path =
      std::filesystem::path(ATMWATCH_DATA_DIR) / "trust-networks-quarters.csv";
  std::ifstream csv(csv_path);
  ASSERT_TRUE(csv) << csv_path << " not found";
  const std::vector<std::map<std::string, std::string>> source = ParseCsv(csv);
  ASSERT_FALSE(source.empty());

  // Finance books cost and expenses at each month's end; the commission is
  // earned evenly by a fleet that grows by 10 ATMs a quarter. Operating
  // income is never fed: the report must compute it.
  Calendar calendar;
  DailyUsage usage;  // default retention: FY2008 is older than 400 days by the end
  Ledger ledger;
  CostModel model;
  int64_t last_day = 0;
  for (std::size_t q = 0; q < source.size(); ++q) {
    const std::map<std::string, std::string>& row = source[q];
    const DayRange days = QuarterDays(calendar, QuarterOfLabel(row.at("quarter")));
    ASSERT_EQ(FormatDate(DateOfDayNumber(days.first)), row.at("start"));
    ASSERT_EQ(FormatDate(DateOfDayNumber(days.last)), row.at("end"));
    const int64_t atms = 10 * static_cast<int64_t>(q + 1);
    std::vector<int64_t> commissions = Split(Millions(row.at("revenue")), days.days() * atms);
    std::size_t next = 0;
    for (int64_t day = days.first; day <= days.last; ++day) {
      for (AtmIndex atm = 0; atm < atms; ++atm)
        AddTransaction(usage, atm, day, commissions[next++]);
    }
    std::vector<int64_t> month_ends;
    for (int64_t day = days.first; day <= days.last; ++day) {
      if (DateOfDayNumber(day + 1).day() == std::chrono::day(1)) month_ends.push_back(day);
    }
    ASSERT_EQ(month_ends.size(), 3u);
    std::vector<int64_t> costs = Split(Millions(row.at("cost")), 3);
    std::vector<int64_t> expenses = Split(Millions(row.at("expenses")), 3);
    for (std::size_t m = 0; m < 3; ++m) {
      ledger.Book(LedgerCategory::kCost, month_ends[m], costs[m]);
      ledger.Book(LedgerCategory::kExpense, month_ends[m], expenses[m]);
    }
    last_day = days.last;
  }
  BusinessRecords records{usage, ledger, calendar, model};
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

}  // namespace
}  // namespace atmwatch::engine
