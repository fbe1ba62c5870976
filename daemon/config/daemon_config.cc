#include "config/daemon_config.h"

#include <yaml-cpp/yaml.h>

#include <utility>

#include "config/config_field.h"
#include "config/log_level.h"
#include "config/sections/business_hours.h"
#include "config/sections/calendar.h"
#include "config/sections/cash.h"
#include "config/sections/costs.h"
#include "config/sections/fees.h"
#include "config/sections/http.h"
#include "config/sections/ingest.h"
#include "config/sections/inventory.h"
#include "config/sections/jetstream.h"
#include "config/sections/lines.h"
#include "config/sections/plan.h"
#include "config/sections/sites.h"
#include "config/sections/slo.h"
#include "config/sections/targets.h"
#include "config/sections/wal.h"

namespace atmwatch::config {
namespace {

// Every section is read even when one before it was refused, so that the
// error lists the problems of all of them.
Status ReadTop(const FieldReader& fields, const YAML::Node& root, DaemonConfig* out) {
  if (!root.IsDefined() || root.IsNull()) return Status::Ok();
  if (Status s = fields.CheckMapKeys(
          root, "",
          {"timezone", "fiscal_year_start_month", "ingest", "http", "data_dir", "wal", "log_level",
           "atms", "fees", "costs", "holidays", "targets", "lines", "business_hours", "sites",
           "atm_silence", "jetstream", "plan", "slo", "cash"});
      !s.ok()) {
    return s;
  }
  ConfigProblems problems;
  problems.Add(ReadCalendar(fields, root, &out->calendar));
  problems.Add(ReadFees(fields, root["fees"], &out->fees));
  problems.Add(ReadCosts(fields, root["costs"], &out->costs));
  problems.Add(ReadCash(fields, root["cash"], &out->cash));
  if (auto n = root["ingest"]) problems.Add(ReadIngest(fields, n, &out->ingest));
  if (auto n = root["http"]) problems.Add(ReadHttp(fields, n, &out->http));
  if (auto n = root["data_dir"]) problems.Add(fields.ReadScalar(n, "data_dir", &out->data_dir));
  if (auto n = root["wal"]) problems.Add(ReadWal(fields, n, &out->wal));
  if (auto n = root["log_level"]) {
    problems.Add(ReadLogLevel(fields, n, "log_level", &out->log_level));
  }
  // The default hours first: site and ATM hours start from them.
  if (auto n = root["business_hours"]) {
    problems.Add(ReadBusinessHours(fields, n, &out->business_hours));
  }
  if (auto n = root["sites"]) {
    problems.Add(ReadSites(fields, n, out->business_hours, &out->site_hours, &out->site_shares));
  }
  if (auto n = root["atms"]) {
    problems.Add(ReadInventory(fields, n, out->business_hours, &out->atms));
  }
  if (auto n = root["lines"]) problems.Add(ReadLines(fields, n, &out->lines));
  if (auto n = root["atm_silence"]) {
    problems.Add(
        fields.ReadDurationUpTo(n, "atm_silence", 24LL * 3600 * 1000, &out->atm_silence_ms));
  }
  if (auto n = root["jetstream"]) problems.Add(ReadJetStream(fields, n, &out->jetstream));
  if (auto n = root["targets"]) problems.Add(ReadTargets(fields, n, &out->targets));
  if (auto n = root["plan"]) problems.Add(ReadPlan(fields, n, &out->plan));
  if (auto n = root["slo"]) problems.Add(ReadSlo(fields, n, &out->slo));
  return problems.status();
}

}  // namespace

Status ParseConfig(const std::string& yaml_text, const std::string& file_name, DaemonConfig* out) {
  DaemonConfig config;
  if (Status status = ReadConfigText(yaml_text, file_name,
                                     [&](const FieldReader& fields, const YAML::Node& root) {
                                       return ReadTop(fields, root, &config);
                                     });
      !status.ok()) {
    return status;
  }
  *out = std::move(config);
  return Status::Ok();
}

Status LoadConfigFile(const std::string& path, DaemonConfig* out) {
  std::string text;
  if (Status status = ReadConfigFile(path, &text); !status.ok()) return status;
  // A file with no settings at all is more likely one caught mid-write, or
  // truncated, than a wish for every default: on SIGHUP it would reset the
  // inventory and every limit.
  bool empty = false;
  try {
    empty = YAML::Load(text).IsNull();
  } catch (const YAML::Exception&) {
    // ParseConfig reports it with its line.
  }
  if (empty) {
    return Status::Error(path + ": the config file is empty (no settings); write {} for every " +
                         "default");
  }
  return ParseConfig(text, path, out);
}

engine::EngineConfig EngineConfigOf(const DaemonConfig& config) {
  return engine::EngineConfig{
      .inventory = config.atms,
      .max_unknown_atms = config.ingest.max_unknown_atms,
      .calendar = config.calendar,
      .fees = config.fees,
      .costs = config.costs,
      .lines = {.flap_window = std::chrono::milliseconds(config.lines.flap_window_ms),
                .interim_interval = std::chrono::milliseconds(config.lines.interim_interval_ms),
                .max_lines = config.lines.max_lines},
      .business_hours = config.business_hours,
      .site_hours = config.site_hours,
      .site_shares = config.site_shares,
      .atm_silence_ms = config.atm_silence_ms,
      .mvno_lines_target = config.targets.mvno_lines,
      .plan = config.plan,
      .cash_visits = config.cash};
}

}  // namespace atmwatch::config
