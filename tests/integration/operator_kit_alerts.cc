#include "operator_kit_alerts.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "testing/read_file.h"

namespace atmwatch::testing {
namespace {

using google::protobuf::Struct;

// A shipped rule file with every `for:` set to kShortForSeconds; everything
// else byte for byte as shipped.
std::string WithShortFor(const std::string& rules, int* rewritten) {
  std::istringstream lines(rules);
  std::string out;
  std::string line;
  while (std::getline(lines, line)) {
    const std::size_t indent = line.find_first_not_of(' ');
    if (indent != std::string::npos && line.compare(indent, 4, "for:") == 0) {
      line = line.substr(0, indent) + "for: " + std::to_string(kShortForSeconds) + "s";
      ++*rewritten;
    }
    out += line + '\n';
  }
  return out;
}

// The shipped prometheus.yml pointed at the test's daemon: the atmwatchd job
// scrapes the daemon's HTTP port; the collectors' jobs are left out (they do
// not run here, and would only fire AtmwatchScrapeFailing) and so is the
// Alertmanager (its routes and inhibitions have their own tests under
// deploy/alertmanager); scrape and evaluation every second; the rule files
// are the copies from WithShortFor. Empty with *error set when the shipped
// file does not have the shape this relies on.
std::string PrometheusConfig(const std::filesystem::path& shipped, const std::string& target,
                             const std::vector<std::string>& rule_files, std::string* error) {
  YAML::Node config = YAML::LoadFile(shipped.string());
  config["global"]["scrape_interval"] = "1s";
  config["global"]["scrape_timeout"] = "1s";
  config["global"]["evaluation_interval"] = "1s";
  config.remove("alerting");
  YAML::Node rules(YAML::NodeType::Sequence);
  for (const std::string& file : rule_files) rules.push_back(file);
  config["rule_files"] = rules;
  YAML::Node jobs(YAML::NodeType::Sequence);
  for (YAML::Node job : config["scrape_configs"]) {
    if (job["job_name"].as<std::string>() != "atmwatchd") continue;
    YAML::Node targets = job["static_configs"][0]["targets"];
    if (targets.size() != 1 || targets[0].as<std::string>() != "127.0.0.1:9742") {
      *error = "the atmwatchd job does not scrape 127.0.0.1:9742 alone";
      return "";
    }
    targets[0] = target;
    jobs.push_back(job);
  }
  if (jobs.size() != 1) {
    *error = "prometheus.yml has no scrape job named atmwatchd";
    return "";
  }
  config["scrape_configs"] = jobs;
  YAML::Emitter out;
  out << config;
  return out.c_str();
}

}  // namespace

// PrometheusConfig for the files under `prometheus_dir` (deploy/prometheus),
// with the copies of the rule files it names written to `dir`. Empty with
// *error set when the shipped files are not as this expects.
std::string ShippedConfigFor(const std::filesystem::path& prometheus_dir, const std::string& target,
                             const std::string& dir, std::string* error) {
  const std::filesystem::path shipped_config = prometheus_dir / "prometheus.yml";
  std::vector<std::string> rule_files;
  int rewritten = 0;
  for (const YAML::Node& file : YAML::LoadFile(shipped_config.string())["rule_files"]) {
    const std::filesystem::path shipped = prometheus_dir / file.as<std::string>();
    const std::string copy = dir + "/" + shipped.filename().string();
    std::ofstream(copy) << WithShortFor(ReadFile(shipped), &rewritten);
    rule_files.push_back(copy);
  }
  if (rule_files.size() != 2) {
    *error = "prometheus.yml should name the recording and the alert rules";
  } else if (rewritten == 0) {
    *error = "no `for:` in the shipped rules: the alerts would fire at once";
  }
  return error->empty() ? PrometheusConfig(shipped_config, target, rule_files, error) : "";
}

std::map<std::string, std::set<std::string>> AlertGroupsOf(const std::filesystem::path& rules) {
  std::map<std::string, std::set<std::string>> groups;
  for (const YAML::Node& group : YAML::LoadFile(rules.string())["groups"]) {
    auto& alerts = groups[group["name"].as<std::string>()];
    for (const YAML::Node& rule : group["rules"]) {
      if (rule["alert"]) alerts.insert(rule["alert"].as<std::string>());
    }
  }
  return groups;
}

std::vector<Alert> ActiveAlerts(const PrometheusServer& prometheus, std::string* error) {
  std::vector<Alert> alerts;
  const PromQueryResult answer = prometheus.Alerts();
  *error = answer.error;
  for (const Struct& item : answer.items) {
    Alert alert;
    alert.labels = LabelsOf(item, "labels");
    alert.name = alert.labels["alertname"];
    const auto state = item.fields().find("state");
    if (state != item.fields().end()) alert.state = state->second.string_value();
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

std::set<std::string> FiringAtms(const std::vector<Alert>& alerts, const std::string& name) {
  std::set<std::string> atms;
  for (const Alert& alert : alerts) {
    const auto atm = alert.labels.find("atm_id");
    if (alert.name == name && alert.state == "firing") {
      atms.insert(atm != alert.labels.end() ? atm->second : "(no atm_id)");
    }
  }
  return atms;
}

std::string Describe(const std::vector<Alert>& alerts) {
  std::string text;
  for (const Alert& alert : alerts) {
    text += "  " + alert.name + " (" + alert.state + ")";
    for (const auto& [name, value] : alert.labels) {
      if (name != "alertname") text += " " + name + "=" + value;
    }
    text += "\n";
  }
  return text.empty() ? "  (none)\n" : text;
}

bool ExpectedAlertsFiring(const std::vector<Alert>& alerts) {
  return FiringAtms(alerts, "AtmSilent") == std::set<std::string>{kSilentAtm} &&
         FiringAtms(alerts, "AtmLowUsage") == std::set<std::string>{kLowAtm};
}

// Every active alert (pending or firing) other than the two the scenario
// makes and the allowed fleet-wide ones, as "NAME (STATE) atm_id=… line_id=…".
std::set<std::string> UnexpectedAlerts(const std::vector<Alert>& alerts) {
  std::set<std::string> unexpected;
  for (const Alert& alert : alerts) {
    const auto label = alert.labels.find("atm_id");
    const std::string atm = label != alert.labels.end() ? label->second : "";
    const std::string line = alert.labels.contains("line_id") ? alert.labels.at("line_id") : "";
    if ((alert.name == "AtmSilent" && atm == kSilentAtm) ||
        (alert.name == "AtmLowUsage" && atm == kLowAtm)) {
      continue;
    }
    if (atm.empty() && line.empty() && kAllowedFleetAlerts.contains(alert.name)) continue;
    unexpected.insert(alert.name + " (" + alert.state + ") atm_id=" + atm + " line_id=" + line);
  }
  return unexpected;
}

// The per-ATM alerts carry the inventory's site, region and line_id, which
// Alertmanager groups and inhibits on.
void ExpectInventoryLabels(const std::vector<Alert>& alerts) {
  for (const Alert& alert : alerts) {
    if (!alert.labels.contains("atm_id")) continue;
    const std::string atm = alert.labels.at("atm_id");
    const auto* fleet_atm = std::find_if(std::begin(kFleet), std::end(kFleet),
                                         [&](const FleetAtm& a) { return a.id == atm; });
    ASSERT_NE(fleet_atm, std::end(kFleet)) << alert.name << " for an ATM not in the fleet: " << atm;
    for (const auto& [name, value] : {std::pair{"site", fleet_atm->site},
                                      {"region", fleet_atm->region},
                                      {"line_id", fleet_atm->line_id}}) {
      EXPECT_TRUE(alert.labels.contains(name) && alert.labels.at(name) == value)
          << alert.name << " for " << atm << ": " << name << " should be " << value;
    }
  }
}

}  // namespace atmwatch::testing
