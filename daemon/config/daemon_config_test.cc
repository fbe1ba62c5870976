#include "config/daemon_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "testing/temp_dir.h"

namespace atmwatch::config {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string ErrorOf(const std::string& yaml) {
  DaemonConfig config;
  const Status status = ParseConfig(yaml, "atmwatch.yaml", &config);
  return status.ok() ? "ok" : status.message();
}

TEST(DaemonConfigTest, EmptyFileGivesTheDefaults) {
  DaemonConfig config;
  ASSERT_TRUE(ParseConfig("", "atmwatch.yaml", &config).ok());
  EXPECT_EQ(config.ingest.listen, "127.0.0.1:7420");
  EXPECT_EQ(config.http.listen, "127.0.0.1:9742");
  EXPECT_EQ(config.data_dir, "./atmwatch-data");
  EXPECT_EQ(config.calendar.utc_offset(), std::chrono::hours(9));
  EXPECT_EQ(config.calendar.fiscal_year_start_month(), 4u);
  EXPECT_EQ(config.ingest.max_frame_bytes, 4194304u);
  EXPECT_EQ(config.ingest.max_event_age_ms, 400LL * 86400000);
}

TEST(DaemonConfigTest, SecurityDefaultsArePlainLoopbackWithBoundedConnections) {
  DaemonConfig config;
  ASSERT_TRUE(ParseConfig("", "atmwatch.yaml", &config).ok());
  EXPECT_FALSE(config.ingest.tls.enabled());
  EXPECT_TRUE(config.ingest.sources.empty());
  EXPECT_FALSE(config.ingest.require_known_sources);
  EXPECT_EQ(config.ingest.max_connections_per_ip, 64u);
  EXPECT_EQ(config.ingest.idle_timeout_ms, 5 * 60 * 1000);
  EXPECT_EQ(config.ingest.frame_timeout_ms, 30 * 1000);
  EXPECT_EQ(config.ingest.write_timeout_ms, 30 * 1000);
  EXPECT_EQ(config.ingest.max_string_bytes, 256u);
  EXPECT_EQ(config.ingest.max_inflight_batches, 64u);
  EXPECT_FALSE(config.http.tls.enabled());
  EXPECT_TRUE(config.http.basic_auth_users.empty());
}

TEST(DaemonConfigTest, FullFileIsRead) {
  DaemonConfig config;
  const Status status = ParseConfig(R"(
timezone: "+09:00"
fiscal_year_start_month: 4
ingest: {listen: "127.0.0.1:17420", max_frame_bytes: 1MiB, max_event_age: 0, max_unknown_atms: 5}
http:   {listen: "127.0.0.1:19742"}
data_dir: /var/lib/atmwatch
atms:
  - {id: ATM0001, site: "Parlor Shinjuku 1", region: kanto, installed: 2008-05-01,
     line_id: "819012345678", carrier: docomo}
holidays: [2010-01-01, 2010-01-11]
targets: {mvno_lines: 100000}
fees: {bands: [], default_yen: 100}
costs: {per_atm_monthly_yen: 600000}
)",
                                    "atmwatch.yaml", &config);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(config.ingest.listen, "127.0.0.1:17420");
  EXPECT_EQ(config.ingest.max_frame_bytes, 1u << 20);
  EXPECT_EQ(config.ingest.max_event_age_ms, 0);
  EXPECT_EQ(config.ingest.max_unknown_atms, 5u);
  ASSERT_EQ(config.atms.size(), 1u);
  EXPECT_EQ(config.atms[0].site, "Parlor Shinjuku 1");
  EXPECT_EQ(config.atms[0].line_id, "819012345678");
  EXPECT_TRUE(config.calendar.IsHoliday(std::chrono::year(2010) / 1 / 11));
  EXPECT_FALSE(config.calendar.IsHoliday(std::chrono::year(2010) / 1 / 12));
  EXPECT_EQ(config.costs.per_atm_monthly_yen, 600000);
  EXPECT_EQ(config.fees.WithdrawalFee("", engine::DayClass::kWeekday, 12 * 60), 100);
  EXPECT_EQ(config.targets.mvno_lines, 100000);
}

TEST(DaemonConfigTest, TypoNamesTheKeyTheLineAndTheNearestKey) {
  const std::string error = ErrorOf("timezone: \"+09:00\"\ningets:\n  listen: 127.0.0.1:1\n");
  EXPECT_THAT(error, HasSubstr("atmwatch.yaml:2: ingets: unknown key"));
  EXPECT_THAT(error, HasSubstr("did you mean 'ingest'?"));
}

// A file with several mistakes lists every one, a line each in file order,
// each with its line, key and fix: fixed in one go, not one per run.
TEST(DaemonConfigTest, EveryProblemOfAFileIsReportedAtOnce) {
  const std::string error = ErrorOf(
      "timezone: \"+09:00\"\n"           // 1
      "ingest:\n"                        // 2
      "  max_frame_byts: 10\n"           // 3: unknown key
      "  max_event_age: 40x\n"           // 4: not a duration
      "fees:\n"                          // 5
      "  default_yen: -105\n"            // 6: negative fee
      "costs:\n"                         // 7
      "  per_atm_monthly_yen: -5\n"      // 8: negative cost
      "  fixed_monthly_yen: lots\n"      // 9: not a number
      "log_levle: info\n"                // 10: unknown top-level key
      "fiscal_year_start_month: 13\n");  // 11: not a month
  std::vector<std::string> lines;
  std::istringstream stream(error);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 7u) << error;
  EXPECT_THAT(lines[0], StartsWith("atmwatch.yaml:3: ingest.max_frame_byts: unknown key; did you "
                                   "mean 'max_frame_bytes'? known keys here: "));
  EXPECT_EQ(lines[1],
            "atmwatch.yaml:4: ingest.max_event_age: '40x' is not a duration; write e.g. 400d, "
            "12h, 30m, 45s, 250ms or 0");
  EXPECT_THAT(lines[2], StartsWith("atmwatch.yaml:6: fees.default_yen: -105 is negative; "));
  EXPECT_EQ(lines[3],
            "atmwatch.yaml:8: costs.per_atm_monthly_yen: -5 is negative; write the cost as 0 or "
            "more whole yen");
  EXPECT_EQ(lines[4],
            "atmwatch.yaml:9: costs.fixed_monthly_yen: 'lots' is not a whole number; write "
            "digits, e.g. 105");
  EXPECT_THAT(lines[5], StartsWith("atmwatch.yaml:10: log_levle: unknown key; did you mean "
                                   "'log_level'? known keys here: timezone, "));
  EXPECT_EQ(lines[6],
            "atmwatch.yaml:11: fiscal_year_start_month: 13 is not a month; write 1 to 12 (4 = "
            "April, the Japanese fiscal year)");
}

TEST(DaemonConfigTest, LinesBusinessHoursAndSilenceHaveDefaults) {
  DaemonConfig defaults;
  ASSERT_TRUE(ParseConfig("", "atmwatch.yaml", &defaults).ok());
  EXPECT_EQ(defaults.lines.interim_interval_ms, 300000);
  EXPECT_EQ(defaults.lines.flap_window_ms, 600000);
  EXPECT_EQ(defaults.lines.max_lines, 500000u);
  EXPECT_EQ(defaults.business_hours.On(engine::HoursDay::kWeekday).start_minute, 600);
  EXPECT_EQ(defaults.business_hours.On(engine::HoursDay::kWeekday).end_minute, 1380);
  EXPECT_EQ(defaults.atm_silence_ms, 300000);
  EXPECT_EQ(defaults.ingest.max_sources, 1000u);
}

// Each section has its reader and tests in sections/; this pins that the
// file hands each key to its reader, and reads atm_silence itself.
TEST(DaemonConfigTest, SectionsAndSilenceAreRead) {
  DaemonConfig config;
  ASSERT_TRUE(ParseConfig(R"(
lines: {interim_interval: 10m, flap_window: 30m, max_lines: 1000}
business_hours: {start: "09:30", end: "24:00"}
atm_silence: 2m
ingest: {max_sources: 50}
)",
                          "atmwatch.yaml", &config)
                  .ok());
  EXPECT_EQ(config.lines.interim_interval_ms, 600000);
  EXPECT_EQ(config.lines.flap_window_ms, 1800000);
  EXPECT_EQ(config.lines.max_lines, 1000u);
  EXPECT_EQ(config.business_hours.On(engine::HoursDay::kWeekday).start_minute, 570);
  EXPECT_EQ(config.business_hours.On(engine::HoursDay::kWeekday).end_minute, 1440);
  EXPECT_EQ(config.atm_silence_ms, 120000);
  EXPECT_EQ(config.ingest.max_sources, 50u);
}

TEST(DaemonConfigTest, SilenceMistakesNameKeyAndFix) {
  EXPECT_THAT(ErrorOf("atm_silence: 0\n"),
              HasSubstr("atmwatch.yaml:1: atm_silence: must be above 0"));
  EXPECT_THAT(ErrorOf("atm_silnce: 5m\n"), HasSubstr("did you mean 'atm_silence'?"));
}

TEST(DaemonConfigTest, BrokenYamlNamesTheLine) {
  EXPECT_THAT(ErrorOf("ingest:\n  listen: [\n"), HasSubstr("atmwatch.yaml:"));
  EXPECT_THAT(ErrorOf("ingest:\n  listen: [\n"), HasSubstr("not valid YAML"));
}

TEST(DaemonConfigTest, MissingFileIsAnError) {
  DaemonConfig config;
  const Status status = LoadConfigFile("/nonexistent/atmwatch.yaml", &config);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("/nonexistent/atmwatch.yaml"));
}

// An empty file must not reset a running daemon to defaults on SIGHUP.
TEST(DaemonConfigTest, EmptyFileIsAnErrorAndBracesAskForEveryDefault) {
  const atmwatch::testing::TempDir dir("atmwatch-config-test");
  const std::string path = dir.Join("atmwatch.yaml");
  for (const char* text : {"", "  \n\n", "# only a comment\n"}) {
    std::ofstream(path) << text;
    DaemonConfig config;
    const Status status = LoadConfigFile(path, &config);
    ASSERT_FALSE(status.ok()) << "'" << text << "'";
    EXPECT_EQ(status.message(),
              path + ": the config file is empty (no settings); write {} for every default");
  }
  std::ofstream(path) << "{}\n";
  DaemonConfig config;
  config.data_dir = "changed";
  EXPECT_TRUE(LoadConfigFile(path, &config).ok());
  EXPECT_EQ(config.data_dir, DaemonConfig{}.data_dir);
  std::remove(path.c_str());
}

TEST(DaemonConfigTest, JetStreamIsOffWithoutItsSection) {
  DaemonConfig config;
  ASSERT_TRUE(ParseConfig("data_dir: x\n", "atmwatch.yaml", &config).ok());
  EXPECT_FALSE(config.jetstream.enabled);
}

// The example operators copy from must parse, plan included.
TEST(DaemonConfigTest, TheShippedExampleParsesWithTheReferencePlan) {
  DaemonConfig config;
  const Status status = LoadConfigFile(ATMWATCH_DEPLOY_DIR "/atmwatch.example.yaml", &config);
  ASSERT_TRUE(status.ok()) << status.message();
  const engine::FiscalYearPlan* fy2010 = config.plan.FiscalYear(2010);
  ASSERT_NE(fy2010, nullptr);
  EXPECT_EQ(fy2010->budget.OperatingIncome(), -400'000'000);
  ASSERT_EQ(fy2010->quarters.size(), 4u);
  int64_t income = 0;
  for (const engine::QuarterPlan& quarter : fy2010->quarters) {
    income += quarter.budget.OperatingIncome().value_or(0);
  }
  EXPECT_EQ(income, -400'000'000) << "the quarters add up to the year";
  ASSERT_TRUE(config.plan.breakeven.has_value());
  EXPECT_EQ(config.plan.breakeven->first, std::chrono::year{2010} / 10 / 1);
  // A site's share of the commission travels to the engine with its hours.
  const engine::EngineConfig engine_config = EngineConfigOf(config);
  EXPECT_EQ(engine_config.site_shares, (std::map<std::string, double>{{"Shop Umeda 2", 0.3}}));
  EXPECT_EQ(engine_config.site_hours.count("Shop Umeda 2"), 1u);
}

}  // namespace
}  // namespace atmwatch::config
