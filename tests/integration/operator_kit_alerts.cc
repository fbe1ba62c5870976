#include "operator_kit_alerts.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace atmwatch::testing {

using google::protobuf::Struct;

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

// Every active alert (pending or firing) other than the three the scenario
// makes and the allowed fleet-wide ones, as "NAME (STATE) atm_id=… line_id=…".
std::set<std::string> UnexpectedAlerts(const std::vector<Alert>& alerts) {
  std::set<std::string> unexpected;
  for (const Alert& alert : alerts) {
    const auto label = alert.labels.find("atm_id");
    const std::string atm = label != alert.labels.end() ? label->second : "";
    const std::string line = alert.labels.contains("line_id") ? alert.labels.at("line_id") : "";
    if ((alert.name == "AtmSilent" && atm == kSilentAtm) ||
        (alert.name == "AtmLowUsage" && atm == kLowAtm) ||
        (alert.name == "AtmCashOutBeforeVisit" && atm == kCashShortAtm)) {
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
