// The seed scenario end to end: `atmwatch sim --scenario trust-networks`
// streams FY2008-FY2009 into a real atmwatchd, whose quarter report must
// reproduce data/trust-networks-quarters.csv within ±1 JPY million a
// cell — from the running daemon, after a restart, and offline from the
// stopped daemon's data directory.

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "testing/daemon_process.h"
#include "testing/http_fetch.h"
#include "testing/read_file.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

const std::string kCsvPath = ATMWATCH_DATA_DIR "/trust-networks-quarters.csv";

using CsvRow = std::map<std::string, std::string>;  // column -> cell

// Rows of a CSV with a header line; '#' lines are comments.
std::vector<CsvRow> ParseCsv(const std::string& text) {
  std::vector<CsvRow> rows;
  std::vector<std::string> header;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    if (header.empty()) {
      header = cells;
      continue;
    }
    CsvRow row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

// Every reference cell, against the report's row of the same quarter.
void ExpectReportMatches(const std::string& report_csv, const std::vector<CsvRow>& reference) {
  const std::vector<CsvRow> report = ParseCsv(report_csv);
  ASSERT_EQ(report.size(), reference.size()) << report_csv;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const CsvRow& want = reference[i];
    const CsvRow& got = report[i];
    const std::string quarter = want.at("quarter");
    EXPECT_EQ(got.at("quarter"), quarter);
    EXPECT_EQ(got.at("start"), want.at("start")) << quarter;
    EXPECT_EQ(got.at("end"), want.at("end")) << quarter;
    for (const char* column : {"revenue", "cost", "expenses", "total", "operating_income"}) {
      EXPECT_NEAR(std::stod(got.at(column)), std::stod(want.at(column)), 1.0)
          << quarter << " " << column << "\n"
          << report_csv;
    }
  }
}

TEST(BusinessReportTest, SeedScenarioReproducesTheQuarterTable) {
  ASSERT_TRUE(std::filesystem::exists(kCsvPath)) << kCsvPath << " is not there";
  const std::vector<CsvRow> reference = ParseCsv(ReadFile(kCsvPath));
  ASSERT_FALSE(reference.empty());
  const std::string from = "FY20" + reference.front().at("quarter").substr(2, 2);
  const std::string to = "FY20" + reference.back().at("quarter").substr(2, 2);

  const ToolResult inventory =
      RunTool({ATMWATCH_CLI_PATH, "sim", "--scenario", "trust-networks", "--print-inventory"});
  ASSERT_EQ(inventory.exit_code, 0) << inventory.output;
  // FY2010 as the example plan budgets it for the year; one site paid 30%
  // of its commission.
  const std::string config = "ingest: {max_event_age: 0}\n" + inventory.output +
                             "plan:\n  fiscal_years:\n    FY2010: {revenue_yen: 850000000, "
                             "cost_yen: 1010000000, expenses_yen: 240000000}\n"
                             "sites:\n  \"Parlor Shinjuku 1\": {site_share: 0.3}\n";
  DaemonProcess daemon(config);
  ASSERT_TRUE(daemon.Start()) << daemon.log();

  const auto start = std::chrono::steady_clock::now();
  const ToolResult sim = RunTool({ATMWATCH_CLI_PATH, "sim", "--scenario", "trust-networks", "--csv",
                                  kCsvPath, "--ingest", daemon.ingest_address()});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(sim.exit_code, 0) << sim.output;
  EXPECT_NE(sim.output.find(" 0 rejected"), std::string::npos) << sim.output;
  std::cout << "seed scenario ingested in " << seconds << " s\n" << sim.output;

  const std::string report_url =
      daemon.http_base() + "/v1/report?from=" + from + "&to=" + to + "&format=csv";
  const HttpResult report = HttpGet(report_url);
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_EQ(report.content_type.rfind("text/csv", 0), 0u) << report.content_type;
  ExpectReportMatches(report.body, reference);
  // The README's fact: 136 ATMs by March 2009, all of them used in that quarter.
  for (const CsvRow& row : ParseCsv(report.body)) {
    if (row.at("end") == "2009-03-31") {
      EXPECT_EQ(row.at("atms"), "136");
    }
  }

  // The fiscal years as IIJ's FY2009 results give them (JPY million); the
  // reference quarters are rounded to the million, so their years land
  // within 2.
  const std::string years_url =
      daemon.http_base() + "/v1/report?from=" + from + "&to=" + to + "&format=csv&by=year";
  const HttpResult years = HttpGet(years_url);
  ASSERT_EQ(years.status, 200) << years.body;
  const std::vector<CsvRow> year_rows = ParseCsv(years.body);
  ASSERT_EQ(year_rows.size(), 2u) << years.body;
  EXPECT_EQ(year_rows[0].at("fiscal_year"), "FY2008");
  EXPECT_NEAR(std::stod(year_rows[0].at("revenue")), 24, 2.0) << years.body;
  EXPECT_NEAR(std::stod(year_rows[0].at("cost")), 422, 2.0) << years.body;
  EXPECT_NEAR(std::stod(year_rows[0].at("expenses")), 299, 2.0) << years.body;
  EXPECT_NEAR(std::stod(year_rows[0].at("gross_profit")), -399, 2.0) << years.body;
  EXPECT_NEAR(std::stod(year_rows[0].at("operating_income")), -698, 2.0) << years.body;
  EXPECT_EQ(year_rows[1].at("fiscal_year"), "FY2009");
  EXPECT_NEAR(std::stod(year_rows[1].at("revenue")), 207, 2.0) << years.body;
  EXPECT_NEAR(std::stod(year_rows[1].at("cost")), 964, 2.0) << years.body;
  EXPECT_NEAR(std::stod(year_rows[1].at("expenses")), 243, 2.0) << years.body;
  EXPECT_NEAR(std::stod(year_rows[1].at("gross_profit")), -757, 2.0) << years.body;
  EXPECT_NEAR(std::stod(year_rows[1].at("operating_income")), -1000, 2.0) << years.body;
  EXPECT_EQ(year_rows[1].at("atms"), "136");

  // FY2010 as known at the end of 4Q09: nothing actual yet, the plan's loss
  // of 400, and usage going on growing as it did from 3Q09 to 4Q09. Per
  // ATM-day 3Q09 earned 70M / (136 x 92) = 5,595 yen and 4Q09 98M / (136 x
  // 90) = 8,007, 91.5 days apart: 26.4 yen more each day. FY2010's days
  // are on average 228 days after 4Q09's middle, so 136 ATMs x 365 days x
  // (8,007 + 26.4 x 228) = 696M.
  const std::string plan_url =
      daemon.http_base() + "/v1/report?by=plan&as_of=2010-03-31&format=csv";
  const HttpResult plan = HttpGet(plan_url);
  ASSERT_EQ(plan.status, 200) << plan.body;
  std::map<std::string, CsvRow> fy2010;
  for (const CsvRow& row : ParseCsv(plan.body)) {
    if (row.at("period") == "FY2010") fy2010[row.at("figure")] = row;
  }
  ASSERT_EQ(fy2010.size(), 6u) << plan.body;
  EXPECT_EQ(fy2010["plan"].at("operating_income"), "-400.0");
  EXPECT_EQ(fy2010["actual"].at("revenue"), "0.0");
  EXPECT_NEAR(std::stod(fy2010["forecast"].at("revenue")), 696, 30) << plan.body;
  EXPECT_LE(std::stod(fy2010["forecast_low"].at("revenue")),
            std::stod(fy2010["forecast"].at("revenue")));
  EXPECT_GE(std::stod(fy2010["forecast_high"].at("revenue")),
            std::stod(fy2010["forecast"].at("revenue")));
  EXPECT_NEAR(std::stod(fy2010["variance"].at("revenue")),
              std::stod(fy2010["forecast"].at("revenue")) - 850, 0.11);

  // March 2010 by site: each site's row sums its ATMs, the configured share
  // is 30% of the site's commission; the month is long out of the kept
  // availability days.
  const std::string sites_url = daemon.http_base() + "/v1/report?by=site&month=2010-03&format=csv";
  const HttpResult sites = HttpGet(sites_url);
  ASSERT_EQ(sites.status, 200) << sites.body;
  EXPECT_EQ(sites.content_type.rfind("text/csv", 0), 0u) << sites.content_type;
  // ParseCsv drops a line's trailing empty cells.
  const auto cell = [](const CsvRow& row, const std::string& column) {
    const auto found = row.find(column);
    return found == row.end() ? std::string() : found->second;
  };
  std::map<std::string, int64_t> site_commission, atm_commission;
  int64_t withdrawals = 0;
  for (const CsvRow& row : ParseCsv(sites.body)) {
    EXPECT_EQ(cell(row, "hardware_seconds"), "") << sites.body;
    if (row.at("atm").empty()) {
      site_commission[row.at("site")] = std::stoll(row.at("commission_yen"));
      EXPECT_EQ(cell(row, "site_share_yen").empty(), row.at("site") != "Parlor Shinjuku 1");
      if (row.at("site") == "Parlor Shinjuku 1") {
        EXPECT_EQ(std::stoll(row.at("site_share_yen")),
                  std::llround(0.3 * std::stod(row.at("commission_yen"))));
      }
    } else {
      atm_commission[row.at("site")] += std::stoll(row.at("commission_yen"));
      withdrawals += std::stoll(row.at("withdrawals"));
    }
  }
  EXPECT_GT(site_commission.size(), 1u) << sites.body;
  EXPECT_EQ(site_commission, atm_commission);
  EXPECT_GT(withdrawals, 0);
  const HttpResult sites_json =
      HttpGet(daemon.http_base() + "/v1/report?by=site&month=2010-03&format=json");
  ASSERT_EQ(sites_json.status, 200) << sites_json.body;
  EXPECT_EQ(sites_json.body.rfind("{\"month\":\"2010-03\",\"days\":31,\"days_covered\":0,", 0), 0u)
      << sites_json.body;

  // A restart (snapshot + log replay) gives the same report, byte for byte.
  ASSERT_EQ(daemon.Stop(SIGTERM), 0) << daemon.log();
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const HttpResult after_restart = HttpGet(report_url);
  ASSERT_EQ(after_restart.status, 200);
  EXPECT_EQ(after_restart.body, report.body);

  // Offline from the stopped daemon's data directory, with its config.
  ASSERT_EQ(daemon.Stop(SIGTERM), 0) << daemon.log();
  const std::string config_path = daemon.data_dir() + "/../offline-atmwatch.yaml";
  std::ofstream(config_path) << config;
  const ToolResult offline =
      RunTool({ATMWATCH_CLI_PATH, "report", "--quarters", "--from", from, "--to", to, "--format",
               "csv", "--data-dir", daemon.data_dir(), "--config", config_path});
  ASSERT_EQ(offline.exit_code, 0) << offline.output;
  EXPECT_EQ(offline.output, report.body);
  const ToolResult offline_years =
      RunTool({ATMWATCH_CLI_PATH, "report", "--years", "--from", from, "--to", to, "--format",
               "csv", "--data-dir", daemon.data_dir(), "--config", config_path});
  ASSERT_EQ(offline_years.exit_code, 0) << offline_years.output;
  EXPECT_EQ(offline_years.output, years.body);
  const ToolResult offline_plan =
      RunTool({ATMWATCH_CLI_PATH, "report", "--plan", "--as-of", "2010-03-31", "--format", "csv",
               "--data-dir", daemon.data_dir(), "--config", config_path});
  ASSERT_EQ(offline_plan.exit_code, 0) << offline_plan.output;
  EXPECT_EQ(offline_plan.output, plan.body);
  const ToolResult offline_sites =
      RunTool({ATMWATCH_CLI_PATH, "report", "--sites", "--month", "2010-03", "--format", "csv",
               "--data-dir", daemon.data_dir(), "--config", config_path});
  ASSERT_EQ(offline_sites.exit_code, 0) << offline_sites.output;
  EXPECT_EQ(offline_sites.output, sites.body);
}

TEST(BusinessReportTest, BadReportParametersAreRefusedWithTheFix) {
  DaemonProcess daemon;
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const HttpResult bad = HttpGet(daemon.http_base() + "/v1/report?from=2008Q1");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("write FY and four digits"), std::string::npos) << bad.body;
  const HttpResult empty = HttpGet(daemon.http_base() + "/v1/report");
  EXPECT_EQ(empty.status, 200);
  EXPECT_NE(empty.body.find("\"quarters\":[]"), std::string::npos) << empty.body;
  const ToolResult cli = RunTool({ATMWATCH_CLI_PATH, "report", "--quarters", "--http",
                                  daemon.http_base().substr(7), "--format", "csv"});
  EXPECT_EQ(cli.exit_code, 0) << cli.output;
  EXPECT_EQ(cli.output,
            "quarter,start,end,revenue,cost,expenses,total,operating_income,atms,tx_per_atm_day\n");
  const HttpResult by_month = HttpGet(daemon.http_base() + "/v1/report?by=month");
  EXPECT_EQ(by_month.status, 400);
  EXPECT_NE(by_month.body.find("by: 'month' is not a report; write quarter, year or plan"),
            std::string::npos)
      << by_month.body;
  const ToolResult cli_years = RunTool({ATMWATCH_CLI_PATH, "report", "--years", "--http",
                                        daemon.http_base().substr(7), "--format", "json"});
  EXPECT_EQ(cli_years.exit_code, 0) << cli_years.output;
  EXPECT_NE(cli_years.output.find("\"fiscal_years\":[]"), std::string::npos) << cli_years.output;
  // The site report needs its month, and a month it can read.
  const HttpResult no_month = HttpGet(daemon.http_base() + "/v1/report?by=site");
  EXPECT_EQ(no_month.status, 400);
  EXPECT_NE(no_month.body.find("month is required"), std::string::npos) << no_month.body;
  const HttpResult bad_month = HttpGet(daemon.http_base() + "/v1/report?by=site&month=2010-13");
  EXPECT_EQ(bad_month.status, 400);
  EXPECT_NE(bad_month.body.find("month: '2010-13' is not a month; write YYYY-MM"),
            std::string::npos)
      << bad_month.body;
  const HttpResult stray_month = HttpGet(daemon.http_base() + "/v1/report?month=2010-03");
  EXPECT_EQ(stray_month.status, 400);
  EXPECT_NE(stray_month.body.find("month is not for this report"), std::string::npos)
      << stray_month.body;
  const ToolResult cli_sites =
      RunTool({ATMWATCH_CLI_PATH, "report", "--sites", "--http", daemon.http_base().substr(7)});
  EXPECT_EQ(cli_sites.exit_code, 2) << cli_sites.output;
  EXPECT_NE(cli_sites.output.find("--month is required"), std::string::npos) << cli_sites.output;
  const ToolResult cli_empty_sites =
      RunTool({ATMWATCH_CLI_PATH, "report", "--sites", "--month", "2010-03", "--http",
               daemon.http_base().substr(7), "--format", "json"});
  EXPECT_EQ(cli_empty_sites.exit_code, 0) << cli_empty_sites.output;
  EXPECT_NE(cli_empty_sites.output.find("\"sites\":[]"), std::string::npos)
      << cli_empty_sites.output;
  // One report at a time: neither, or both, is a usage error.
  EXPECT_EQ(
      RunTool({ATMWATCH_CLI_PATH, "report", "--http", daemon.http_base().substr(7)}).exit_code, 2);
  EXPECT_EQ(RunTool({ATMWATCH_CLI_PATH, "report", "--quarters", "--years", "--http",
                     daemon.http_base().substr(7)})
                .exit_code,
            2);
  EXPECT_EQ(daemon.Stop(SIGTERM), 0);
}

// FY2010 to FY2008 covers no quarter: refused with the fix, not answered
// with an empty table, by the daemon and by the CLI.
TEST(BusinessReportTest, ReversedFiscalYearRangeIsRefused) {
  DaemonProcess daemon;
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const HttpResult http = HttpGet(daemon.http_base() + "/v1/report?from=FY2010&to=FY2008");
  EXPECT_EQ(http.status, 400);
  EXPECT_NE(http.body.find("from FY2010 comes after to FY2008"), std::string::npos) << http.body;

  const ToolResult cli = RunTool({ATMWATCH_CLI_PATH, "report", "--quarters", "--from", "FY2010",
                                  "--to", "FY2008", "--http", daemon.http_base().substr(7)});
  EXPECT_EQ(cli.exit_code, 2) << cli.output;
  EXPECT_NE(cli.output.find("--from FY2010 comes after --to FY2008"), std::string::npos)
      << cli.output;
  EXPECT_NE(cli.output.find("give the earlier fiscal year as --from"), std::string::npos)
      << cli.output;
  EXPECT_EQ(daemon.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace atmwatch::testing
