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

namespace atmwatch::testing {

// Every `for:` of the shipped alerts becomes this many seconds, so that an
// alert whose condition holds fires within seconds instead of after its 5
// minutes to a day (AtmSilent's is an hour, AtmLowUsage's 30 minutes). Only
// the `for:` lines change; every expression is used as shipped.
inline constexpr int kShortForSeconds = 5;

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

// PrometheusConfig for the files under `prometheus_dir` (deploy/prometheus),
// with the copies of the rule files it names written to `dir`: every `for:`
// set to kShortForSeconds, everything else byte for byte as shipped; the
// atmwatchd job scraping `target`. Empty with *error set when the shipped
// files are not as this expects.
std::string ShippedConfigFor(const std::filesystem::path& prometheus_dir, const std::string& target,
                             const std::string& dir, std::string* error);

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
