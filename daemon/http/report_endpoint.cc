#include "http/report_endpoint.h"

#include <map>
#include <string>

#include "engine/calendar.h"
#include "engine/engine.h"
#include "engine/report_request.h"
#include "engine/site_report.h"

namespace atmwatch::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded: '+' is a space, %XX a byte.
std::string Decode(std::string_view text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      decoded += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      decoded += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

std::map<std::string, std::string, std::less<>> ParseQuery(std::string_view query) {
  std::map<std::string, std::string, std::less<>> params;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    params[Decode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? std::string() : Decode(pair.substr(eq + 1));
  }
  return params;
}

Response BadRequest(const std::string& parameter, const Status& status) {
  return Response{400, "text/plain; charset=utf-8", parameter + ": " + status.message() + "\n"};
}

}  // namespace

Response HandleReport(const Request& request, const engine::Engine& engine,
                      const std::function<std::int64_t()>& now_unix_ms) {
  if (request.method != "GET") {
    return Response{405, "text/plain; charset=utf-8", "use GET\n"};
  }
  engine::ReportRequest report;
  for (const auto& [key, value] : ParseQuery(request.query)) {
    Status status;
    if (key == "from") {
      int year = 0;
      status = engine::ParseFiscalYear(value, &year);
      report.from_fiscal_year = year;
    } else if (key == "to") {
      int year = 0;
      status = engine::ParseFiscalYear(value, &year);
      report.to_fiscal_year = year;
    } else if (key == "format") {
      status = engine::ParseReportFormat(value, &report.format);
    } else if (key == "by") {
      status = engine::ParseReportPeriod(value, &report.by);
    } else if (key == "fiscal_year") {
      int year = 0;
      status = engine::ParseFiscalYear(value, &year);
      report.fiscal_year = year;
    } else if (key == "as_of") {
      std::chrono::year_month_day date;
      status = engine::ParseDate(value, &date);
      report.as_of = date;
    } else if (key == "month") {
      std::chrono::year_month month;
      status = engine::ParseMonth(value, &month);
      report.month = month;
    } else {
      status = Status::Error(
          "unknown parameter; the parameters are from, to, format, by, fiscal_year, as_of and "
          "month");
    }
    if (!status.ok()) return BadRequest(key, status);
  }
  if (Status status =
          engine::CheckReportBounds(report, {"from", "to", "fiscal_year", "as_of", "month"});
      !status.ok()) {
    return Response{400, "text/plain; charset=utf-8", status.message() + "\n"};
  }
  if (Status status = engine::CheckFiscalYearRange(report, "from", "to"); !status.ok()) {
    return Response{400, "text/plain; charset=utf-8", status.message() + "\n"};
  }
  const std::int64_t now = now_unix_ms();
  std::string body;
  engine.Read([&](const engine::EngineView& view) { body = RenderReport(view, report, now); });
  return Response{200, std::string(engine::ContentTypeOf(report.format)), std::move(body)};
}

}  // namespace atmwatch::http
