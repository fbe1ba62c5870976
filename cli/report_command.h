#pragma once

#include <iosfwd>
#include <string>

namespace atmwatch::cli {

struct ReportOptions {
  bool years = false;            // --years: a row per fiscal year rather than per quarter
  bool plan = false;             // --plan: plan, actual and forecast of one fiscal year
  bool sites = false;            // --sites: the monthly site report
  std::string month;             // --sites: "2010-03", required
  std::string fiscal_year;       // --plan: "FY2010"; empty = the year after the as-of day
  std::string as_of;             // --plan: "2010-03-31"; empty = yesterday
  std::string from;              // "FY2008"; empty = the first fiscal year with data
  std::string to;                // "FY2010"; empty = the last fiscal year with data
  std::string format = "table";  // table, csv or json
  std::string http = "127.0.0.1:9742";
  std::string data_dir;  // set: read this stopped daemon's directory instead of asking HTTP
  std::string config;    // the daemon's config, for --data-dir (calendar, fees, costs)
};

// `atmwatch report --quarters|--years|--plan|--sites`: the fiscal report from a running
// daemon (GET /v1/report) or, with --data-dir, from a stopped daemon's data
// directory rebuilt offline by the daemon's own recovery code. Both render
// with engine/report_request.h, so they print the same bytes.
// Exit codes: 0 ok, 1 daemon unreachable or data unreadable, 2 bad usage.
int RunReport(const ReportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace atmwatch::cli
