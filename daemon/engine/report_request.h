#pragma once

// What `GET /v1/report` and `atmwatch report --quarters|--years|--plan|--sites` ask for,
// and the one function both answer it with, so the daemon and the offline
// report (from a stopped daemon's data directory) cannot disagree.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace atmwatch::engine {

struct EngineView;

enum class ReportFormat { kJson, kCsv, kTable };
enum class ReportPeriod { kQuarter, kYear, kPlan, kSite };

struct ReportRequest {
  // Fiscal years, both included; absent = from the first (to the last)
  // fiscal year with any transaction or ledger booking.
  std::optional<int> from_fiscal_year;
  std::optional<int> to_fiscal_year;
  ReportFormat format = ReportFormat::kJson;
  ReportPeriod by = ReportPeriod::kQuarter;
  // The plan report: the fiscal year (absent = the one after the as-of day)
  // and the last day whose records count (absent = yesterday, local).
  std::optional<int> fiscal_year;
  std::optional<std::chrono::year_month_day> as_of;
  // The site report: its local month (required).
  std::optional<std::chrono::year_month> month;
};

// "FY2008" (or "2008") → 2008; the error says what to write.
Status ParseFiscalYear(std::string_view text, int* fiscal_year);
// "json", "csv" or "table".
Status ParseReportFormat(std::string_view text, ReportFormat* format);
// "quarter", "year", "plan" or "site".
Status ParseReportPeriod(std::string_view text, ReportPeriod* period);
std::string_view ContentTypeOf(ReportFormat format);
// A range whose first year comes after its last covers no quarter: refused
// rather than answered with an empty table. `from_name` and `to_name` are
// how the caller spells the two bounds (--from, from).
Status CheckFiscalYearRange(const ReportRequest& request, std::string_view from_name,
                            std::string_view to_name);

// Each bound belongs to one kind of report: from and to to the quarter and
// year reports, fiscal year and as-of to the plan report, the month (which
// it requires) to the site report. `names` are how the caller spells from,
// to, fiscal year, as-of and month, for the error.
Status CheckReportBounds(const ReportRequest& request, const std::string_view (&names)[5]);

// The request's rows in its format: the quarters of its fiscal years (the
// table adds each whole year), or the fiscal years, as of the local day of
// now_unix_ms, the period in progress cut there and later ones left out; or
// the plan, actual and forecast of a fiscal year (engine/plan_report.h); or
// the month's site report (engine/site_report.h).
std::string RenderReport(const EngineView& view, const ReportRequest& request, int64_t now_unix_ms);

}  // namespace atmwatch::engine
