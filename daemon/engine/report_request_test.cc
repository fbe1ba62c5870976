// The report request's site report: `by=site` and its month, which only it
// takes and it requires.

#include "engine/report_request.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "engine/engine.h"
#include "engine/event_testing.h"
#include "engine/site_report.h"
#include "engine/site_report_format.h"

namespace atmwatch::engine {
namespace {

using namespace std::chrono;

constexpr std::string_view kNames[] = {"from", "to", "fiscal_year", "as_of", "month"};

TEST(ReportRequestTest, SiteIsAReport) {
  ReportPeriod period = ReportPeriod::kQuarter;
  ASSERT_TRUE(ParseReportPeriod("site", &period).ok());
  EXPECT_EQ(period, ReportPeriod::kSite);
  const Status bad = ParseReportPeriod("sites", &period);
  EXPECT_EQ(bad.message(),
            "'sites' is not a report; write quarter, year or plan (or site, with a month)");
}

TEST(ReportRequestTest, TheSiteReportRequiresItsMonthAndTakesNothingElse) {
  ReportRequest request;
  request.by = ReportPeriod::kSite;
  EXPECT_EQ(CheckReportBounds(request, kNames).message(),
            "month is required: the site report is of one month, e.g. month 2010-03");
  request.month = 2010y / March;
  EXPECT_TRUE(CheckReportBounds(request, kNames).ok());
  request.fiscal_year = 2010;
  EXPECT_EQ(CheckReportBounds(request, kNames).message(),
            "fiscal_year is not for this report; the site report takes month");
  request.fiscal_year.reset();
  request.from_fiscal_year = 2009;
  EXPECT_EQ(CheckReportBounds(request, kNames).message(),
            "from is not for this report; the site report takes month");
}

TEST(ReportRequestTest, OtherReportsRefuseAMonth) {
  for (ReportPeriod by : {ReportPeriod::kQuarter, ReportPeriod::kYear, ReportPeriod::kPlan}) {
    ReportRequest request;
    request.by = by;
    request.month = 2010y / March;
    EXPECT_EQ(CheckReportBounds(request, kNames).message(),
              "month is not for this report; it is for the site report");
  }
}

TEST(ReportRequestTest, RenderReportAnswersTheSiteReportInEachFormat) {
  EngineConfig config;
  config.inventory = {{.id = "SHOP1", .site = "shop"}};
  config.site_shares = {{"shop", 0.5}};
  Engine engine(config);
  engine.Apply(HeartbeatEvent("SHOP1", JapanTime(2010y / March / 3, 12)));
  const int64_t now = JapanTime(2010y / April / 2, 9);
  ReportRequest request;
  request.by = ReportPeriod::kSite;
  request.month = 2010y / March;
  engine.Read([&](const EngineView& view) {
    const SiteReport report = BuildSiteReport(view, 2010y / March, now);
    request.format = ReportFormat::kJson;
    EXPECT_EQ(RenderReport(view, request, now), FormatSiteJson(report));
    request.format = ReportFormat::kCsv;
    EXPECT_EQ(RenderReport(view, request, now), FormatSiteCsv(report));
    request.format = ReportFormat::kTable;
    EXPECT_EQ(RenderReport(view, request, now), FormatSiteTable(report));
  });
}

}  // namespace
}  // namespace atmwatch::engine
