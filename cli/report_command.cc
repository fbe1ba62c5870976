#include "cli/report_command.h"

#include <ostream>

#include "cli/http_get.h"
#include "cli/offline_state.h"
#include "common/wall_clock.h"
#include "engine/calendar.h"
#include "engine/engine.h"
#include "engine/report_request.h"
#include "engine/site_report.h"

namespace atmwatch::cli {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kBadUsage = 2;

Status ParseRequest(const ReportOptions& options, engine::ReportRequest* request) {
  for (const auto& [flag, text, field] :
       {std::tuple{"--from", &options.from, &request->from_fiscal_year},
        std::tuple{"--to", &options.to, &request->to_fiscal_year}}) {
    if (text->empty()) continue;
    int year = 0;
    if (Status status = engine::ParseFiscalYear(*text, &year); !status.ok()) {
      return Status::Error(std::string(flag) + ": " + status.message());
    }
    *field = year;
  }
  if (Status status = engine::CheckFiscalYearRange(*request, "--from", "--to"); !status.ok()) {
    return status;
  }
  if (Status status = engine::ParseReportFormat(options.format, &request->format); !status.ok()) {
    return Status::Error("--format: " + status.message());
  }
  request->by = options.plan    ? engine::ReportPeriod::kPlan
                : options.years ? engine::ReportPeriod::kYear
                : options.sites ? engine::ReportPeriod::kSite
                                : engine::ReportPeriod::kQuarter;
  if (!options.fiscal_year.empty()) {
    int year = 0;
    if (Status status = engine::ParseFiscalYear(options.fiscal_year, &year); !status.ok()) {
      return Status::Error("--fiscal-year: " + status.message());
    }
    request->fiscal_year = year;
  }
  if (!options.as_of.empty()) {
    std::chrono::year_month_day date;
    if (Status status = engine::ParseDate(options.as_of, &date); !status.ok()) {
      return Status::Error("--as-of: " + status.message());
    }
    request->as_of = date;
  }
  if (!options.month.empty()) {
    std::chrono::year_month month;
    if (Status status = engine::ParseMonth(options.month, &month); !status.ok()) {
      return Status::Error("--month: " + status.message());
    }
    request->month = month;
  }
  return engine::CheckReportBounds(*request,
                                   {"--from", "--to", "--fiscal-year", "--as-of", "--month"});
}

int FromDaemon(const ReportOptions& options, std::ostream& out, std::ostream& err) {
  std::string url = "http://" + options.http + "/v1/report?format=" + options.format;
  if (options.years) url += "&by=year";
  if (options.plan) url += "&by=plan";
  if (options.sites) url += "&by=site";
  if (!options.month.empty()) url += "&month=" + options.month;
  if (!options.fiscal_year.empty()) url += "&fiscal_year=" + options.fiscal_year;
  if (!options.as_of.empty()) url += "&as_of=" + options.as_of;
  if (!options.from.empty()) url += "&from=" + options.from;
  if (!options.to.empty()) url += "&to=" + options.to;
  HttpReply reply;
  if (Status status = HttpGet(url, &reply); !status.ok()) {
    err << "report: " << status.message() << " (is atmwatchd running? --http HOST:PORT)\n";
    return kFailed;
  }
  if (reply.status != 200) {
    err << "report: the daemon answered " << reply.status << ": " << reply.body;
    return reply.status == 400 ? kBadUsage : kFailed;
  }
  out << reply.body;
  return kOk;
}

int FromDataDir(const ReportOptions& options, const engine::ReportRequest& request,
                std::ostream& out, std::ostream& err) {
  config::DaemonConfig config;
  if (!options.config.empty()) {
    if (Status status = config::LoadConfigFile(options.config, &config); !status.ok()) {
      err << "report: " << status.message() << "\n";
      return kBadUsage;
    }
  }
  std::unique_ptr<engine::Engine> engine;
  if (Status status = LoadOfflineEngine(options.data_dir, config, &engine); !status.ok()) {
    err << "report: " << status.message() << "\n";
    return kFailed;
  }
  const std::int64_t now = NowUnixMs();
  engine->Read(
      [&](const engine::EngineView& view) { out << engine::RenderReport(view, request, now); });
  return kOk;
}

}  // namespace

int RunReport(const ReportOptions& options, std::ostream& out, std::ostream& err) {
  engine::ReportRequest request;
  if (Status status = ParseRequest(options, &request); !status.ok()) {
    err << "report: " << status.message() << "\n";
    return kBadUsage;
  }
  if (options.data_dir.empty()) return FromDaemon(options, out, err);
  return FromDataDir(options, request, out, err);
}

}  // namespace atmwatch::cli
