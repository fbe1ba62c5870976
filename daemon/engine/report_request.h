#pragma once

// What `GET /v1/report` and `atmwatch report --quarters` ask for, and the
// one function both answer it with, so the daemon and the offline report
// (from a stopped daemon's data directory) cannot disagree.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/quarter_report.h"

namespace atmwatch::engine {

struct EngineView;

enum class ReportFormat { kJson, kCsv, kTable };

struct ReportRequest {
  // Fiscal years, both included; absent = from the first (to the last)
  // fiscal year with any transaction or ledger booking.
  std::optional<int> from_fiscal_year;
  std::optional<int> to_fiscal_year;
  ReportFormat format = ReportFormat::kJson;
};

// "FY2008" (or "2008") → 2008; the error says what to write.
Status ParseFiscalYear(std::string_view text, int* fiscal_year);
// "json", "csv" or "table".
Status ParseReportFormat(std::string_view text, ReportFormat* format);
std::string_view ContentTypeOf(ReportFormat format);
// A range whose first year comes after its last covers no quarter: refused
// rather than answered with an empty table. `from_name` and `to_name` are
// how the caller spells the two bounds (--from, from).
Status CheckFiscalYearRange(const ReportRequest& request, std::string_view from_name,
                            std::string_view to_name);

// The quarter rows the request covers, as of the local day of now_unix_ms
// (the quarter in progress is cut there; later ones are left out).
std::vector<QuarterRow> BuildReport(const EngineView& view, const ReportRequest& request,
                                    int64_t now_unix_ms);

// The rows in the request's format.
std::string RenderReport(const EngineView& view, const ReportRequest& request, int64_t now_unix_ms);

}  // namespace atmwatch::engine
