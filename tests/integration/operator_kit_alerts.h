#pragma once

// The shipped Prometheus config and alert rules, as the operator kit test
// runs them, and the alerts a Prometheus answers.

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "operator_kit_fleet.h"
#include "testing/prometheus_server.h"
#include "testing/shipped_prometheus.h"

namespace atmwatch::testing {

// How long the expected alerts must keep firing with nothing else active: an
// ATM that stopped sending is down after atm_silence, and its AtmDown fires
// kShortForSeconds later; twice that and a few scrapes.
inline constexpr std::chrono::seconds kHold{2 * (kAtmSilenceSeconds + kShortForSeconds) + 5};

// Alerts without an ATM that may fire here for a reason outside this test:
// the machine's disk is shared with builds and other tests, so its fsync
// latency can pass 100 ms (AtmwatchWalFsyncSlow). Any other alert means a
// broken rule, metric or scenario: every ATM is above breakeven, every source
// sent within the last minutes (AtmwatchIngestStalled needs 15), nothing is
// rejected, only the daemon is scraped, no withdrawal fails with an issuer
// error, no line flaps, and Prometheus holds no data from 91 days ago.
inline const std::set<std::string> kAllowedFleetAlerts = {"AtmwatchWalFsyncSlow"};

// The alert names of each group of a rule file (group name -> alerts).
std::map<std::string, std::set<std::string>> AlertGroupsOf(const std::filesystem::path& rules);

struct Alert {
  std::string name;
  std::string state;
  std::map<std::string, std::string> labels;
};

std::vector<Alert> ActiveAlerts(const PrometheusServer& prometheus, std::string* error);
// The atm_id of each firing `name` alert.
std::set<std::string> FiringAtms(const std::vector<Alert>& alerts, const std::string& name);
// One line per alert, for a failure message.
std::string Describe(const std::vector<Alert>& alerts);
// AtmSilent for the silent ATM alone and AtmLowUsage for the low ATM alone.
bool ExpectedAlertsFiring(const std::vector<Alert>& alerts);
// Every active alert (pending or firing) other than the two the scenario
// makes and the allowed fleet-wide ones, as "NAME (STATE) atm_id=… line_id=…".
std::set<std::string> UnexpectedAlerts(const std::vector<Alert>& alerts);
// The per-ATM alerts carry the inventory's site, region and line_id, which
// Alertmanager groups and inhibits on.
void ExpectInventoryLabels(const std::vector<Alert>& alerts);

}  // namespace atmwatch::testing
