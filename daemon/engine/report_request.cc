#include "engine/report_request.h"

#include <algorithm>
#include <charconv>

#include "engine/engine.h"
#include "engine/fiscal_year_report.h"
#include "engine/forecast.h"
#include "engine/plan_report.h"
#include "engine/quarter_report.h"
#include "engine/site_report.h"
#include "engine/site_report_format.h"

namespace atmwatch::engine {
namespace {

// The fiscal years with any record: usage or ledger bookings.
std::optional<std::pair<int, int>> FiscalYearsWithData(const EngineView& view) {
  std::optional<int64_t> first = view.usage.earliest_day();
  std::optional<int64_t> last = view.usage.latest_day();
  if (const DayRange booked = view.ledger.booked_days(); booked.days() > 0) {
    first = std::min(first.value_or(booked.first), booked.first);
    last = std::max(last.value_or(booked.last), booked.last);
  }
  if (!first || !last) return std::nullopt;
  return std::pair{view.calendar.FiscalYearOf(DateOfDayNumber(*first)),
                   view.calendar.FiscalYearOf(DateOfDayNumber(*last))};
}

// The request's fiscal years, first and last: as asked, or those with data.
std::optional<std::pair<int, int>> FiscalYearsOf(const EngineView& view,
                                                 const ReportRequest& request) {
  const auto with_data = FiscalYearsWithData(view);
  if (!with_data && !(request.from_fiscal_year && request.to_fiscal_year)) return std::nullopt;
  const int from = request.from_fiscal_year.value_or(with_data ? with_data->first : 0);
  const int to = request.to_fiscal_year.value_or(with_data ? with_data->second : 0);
  if (from > to) return std::nullopt;
  return std::pair{from, to};
}

}  // namespace

Status ParseFiscalYear(std::string_view text, int* fiscal_year) {
  std::string_view digits = text;
  if (digits.size() > 2 && (digits.substr(0, 2) == "FY" || digits.substr(0, 2) == "fy")) {
    digits.remove_prefix(2);
  }
  int year = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), year);
  if (digits.size() != 4 || error != std::errc() || end != digits.data() + digits.size()) {
    return Status::Error("'" + std::string(text) +
                         "' is not a fiscal year; write FY and four digits, e.g. FY2008");
  }
  *fiscal_year = year;
  return Status::Ok();
}

Status CheckFiscalYearRange(const ReportRequest& request, std::string_view from_name,
                            std::string_view to_name) {
  if (!request.from_fiscal_year || !request.to_fiscal_year ||
      *request.from_fiscal_year <= *request.to_fiscal_year) {
    return Status::Ok();
  }
  const std::string from(from_name);
  return Status::Error(from + " FY" + std::to_string(*request.from_fiscal_year) + " comes after " +
                       std::string(to_name) + " FY" + std::to_string(*request.to_fiscal_year) +
                       ": no quarter is in that range; give the earlier fiscal year as " + from);
}

Status ParseReportPeriod(std::string_view text, ReportPeriod* period) {
  if (text == "quarter") {
    *period = ReportPeriod::kQuarter;
  } else if (text == "year") {
    *period = ReportPeriod::kYear;
  } else if (text == "plan") {
    *period = ReportPeriod::kPlan;
  } else if (text == "site") {
    *period = ReportPeriod::kSite;
  } else {
    return Status::Error("'" + std::string(text) +
                         "' is not a report; write quarter, year or plan (or site, with a month)");
  }
  return Status::Ok();
}

Status ParseReportFormat(std::string_view text, ReportFormat* format) {
  if (text == "json") {
    *format = ReportFormat::kJson;
  } else if (text == "csv") {
    *format = ReportFormat::kCsv;
  } else if (text == "table") {
    *format = ReportFormat::kTable;
  } else {
    return Status::Error("'" + std::string(text) + "' is not a format; write json, csv or table");
  }
  return Status::Ok();
}

std::string_view ContentTypeOf(ReportFormat format) {
  switch (format) {
    case ReportFormat::kCsv:
      return "text/csv; charset=utf-8";
    case ReportFormat::kTable:
      return "text/plain; charset=utf-8";
    case ReportFormat::kJson:
      break;
  }
  return "application/json";
}

Status CheckReportBounds(const ReportRequest& request, const std::string_view (&names)[5]) {
  const std::string month(names[4]);
  if (request.by == ReportPeriod::kSite) {
    for (const auto& [given, name] :
         {std::pair<bool, std::string_view>{request.from_fiscal_year.has_value(), names[0]},
          {request.to_fiscal_year.has_value(), names[1]},
          {request.fiscal_year.has_value(), names[2]},
          {request.as_of.has_value(), names[3]}}) {
      if (given) {
        return Status::Error(std::string(name) + " is not for this report; the site report takes " +
                             month);
      }
    }
    if (!request.month) {
      return Status::Error(month + " is required: the site report is of one month, e.g. " + month +
                           " 2010-03");
    }
    return Status::Ok();
  }
  if (request.month) {
    return Status::Error(month + " is not for this report; it is for the site report");
  }
  const bool plan = request.by == ReportPeriod::kPlan;
  const std::pair<bool, std::string_view> misplaced[] = {
      {plan && request.from_fiscal_year, names[0]},
      {plan && request.to_fiscal_year, names[1]},
      {!plan && request.fiscal_year, names[2]},
      {!plan && request.as_of, names[3]},
  };
  for (const auto& [given, name] : misplaced) {
    if (!given) continue;
    return Status::Error(
        std::string(name) + " is not for this report; " +
        (plan ? "the plan report takes " + std::string(names[2]) + " and " + std::string(names[3])
              : std::string(names[2]) + " and " + std::string(names[3]) +
                    " are for the plan report"));
  }
  return Status::Ok();
}

std::string RenderReport(const EngineView& view, const ReportRequest& request,
                         int64_t now_unix_ms) {
  if (request.by == ReportPeriod::kSite && request.month) {
    const SiteReport report = BuildSiteReport(view, *request.month, now_unix_ms);
    switch (request.format) {
      case ReportFormat::kCsv:
        return FormatSiteCsv(report);
      case ReportFormat::kTable:
        return FormatSiteTable(report);
      case ReportFormat::kJson:
        break;
    }
    return FormatSiteJson(report);
  }
  if (request.by == ReportPeriod::kPlan) {
    const int64_t as_of_day =
        request.as_of ? DayNumberOf(*request.as_of) : view.calendar.LocalDayNumber(now_unix_ms) - 1;
    const int fiscal_year =
        request.fiscal_year.value_or(view.calendar.FiscalYearOf(DateOfDayNumber(as_of_day + 1)));
    const FiscalYearOutlook outlook =
        ForecastFiscalYear(view.records(), view.plan, fiscal_year, as_of_day);
    switch (request.format) {
      case ReportFormat::kCsv:
        return FormatPlanCsv(outlook);
      case ReportFormat::kTable:
        return FormatPlanTable(outlook);
      case ReportFormat::kJson:
        break;
    }
    return FormatPlanJson(outlook);
  }
  const auto fiscal_years = FiscalYearsOf(view, request);
  const int64_t as_of_day = view.calendar.LocalDayNumber(now_unix_ms);
  // The quarter CSV and JSON have no year rows: built only where shown.
  const bool with_years =
      request.by == ReportPeriod::kYear || request.format == ReportFormat::kTable;
  const std::vector<YearRow> years =
      fiscal_years && with_years
          ? BuildYearRows(view.records(), fiscal_years->first, fiscal_years->second, as_of_day)
          : std::vector<YearRow>();
  if (request.by == ReportPeriod::kYear) {
    switch (request.format) {
      case ReportFormat::kCsv:
        return FormatYearCsv(years);
      case ReportFormat::kTable:
        return FormatYearTable(years);
      case ReportFormat::kJson:
        break;
    }
    return FormatYearJson(years, view.calendar.LocalDate(now_unix_ms));
  }
  const std::vector<QuarterRow> rows =
      fiscal_years ? BuildQuarterRows(view.records(), {fiscal_years->first, 1},
                                      {fiscal_years->second, 4}, as_of_day)
                   : std::vector<QuarterRow>();
  switch (request.format) {
    case ReportFormat::kCsv:
      return FormatQuarterCsv(rows);
    case ReportFormat::kTable:
      return FormatQuarterTable(rows, years);
    case ReportFormat::kJson:
      break;
  }
  return FormatQuarterJson(rows, view.calendar.LocalDate(now_unix_ms));
}

}  // namespace atmwatch::engine
