#pragma once

// What `GET /v1/report` and `atmwatch report --quarters|--years` ask for,
// and the one function both answer it with, so the daemon and the offline
// report (from a stopped daemon's data directory) cannot disagree.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace atmwatch::engine {

struct EngineView;

enum class ReportFormat { kJson, kCsv, kTable };
enum class ReportPeriod { kQuarter, kYear };

struct ReportRequest {
  // Fiscal years, both included; absent = from the first (to the last)
  // fiscal year with any transaction or ledger booking.
  std::optional<int> from_fiscal_year;
  std::optional<int> to_fiscal_year;
  ReportFormat format = ReportFormat::kJson;
  ReportPeriod by = ReportPeriod::kQuarter;
};

// "FY2008" (or "2008") → 2008; the error says what to write.
Status ParseFiscalYear(std::string_view text, int* fiscal_year);
// "json", "csv" or "table".
Status ParseReportFormat(std::string_view text, ReportFormat* format);
// "quarter" or "year".
Status ParseReportPeriod(std::string_view text, ReportPeriod* period);
std::string_view ContentTypeOf(ReportFormat format);
// A range whose first year comes after its last covers no quarter: refused
// rather than answered with an empty table. `from_name` and `to_name` are
// how the caller spells the two bounds (--from, from).
Status CheckFiscalYearRange(const ReportRequest& request, std::string_view from_name,
                            std::string_view to_name);

// The request's rows in its format: the quarters of its fiscal years (the
// table adds each whole year), or the fiscal years, as of the local day of
// now_unix_ms; the period in progress is cut there, later ones left out.
std::string RenderReport(const EngineView& view, const ReportRequest& request, int64_t now_unix_ms);

}  // namespace atmwatch::engine
