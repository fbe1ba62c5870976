#pragma once

// The operator kit running: a real atmwatchd fed the simulated fleet (part
// of it through a real nats-server), and the real Prometheus scraping it with
// the shipped prometheus.yml and rule files. Set up once for all the operator
// kit's tests, which then read what it saw and ask its Prometheus.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "jetstream/testing/nats_server.h"
#include "operator_kit_alerts.h"
#include "operator_kit_dashboards.h"
#include "operator_kit_fleet.h"
#include "testing/daemon_process.h"
#include "testing/prometheus_server.h"

namespace atmwatch::testing {

// What the alerts did while the expected ones were watched for kHold.
struct AlertHold {
  int polls = 0;
  int polls_with_expected_firing = 0;
  // UnexpectedAlerts over every poll.
  std::set<std::string> unexpected;
  std::vector<Alert> last;  // the alerts of the last poll
  std::string error;        // of the last poll
};

class OperatorKit {
 public:
  OperatorKit() = default;
  OperatorKit(const OperatorKit&) = delete;
  OperatorKit& operator=(const OperatorKit&) = delete;

  // Everything started, in order: NATS and its stream, the daemon and the
  // fleet's past, the live fleet until the daemon has every ATM up,
  // Prometheus; then the bounded wait until AtmSilent and AtmLowUsage fire
  // for their ATMs alone, and kHold of watching them. "" when all went as
  // planned, else what failed.
  std::string Start();

  // The alerts when the expected ones first fired.
  const std::vector<Alert>& first_firing() const { return first_firing_; }
  const AlertHold& hold() const { return hold_; }
  // The groups of the shipped alert rules (group -> alert names).
  const std::map<std::string, std::set<std::string>>& alert_groups() const { return alert_groups_; }
  const Dashboards& dashboards() const { return dashboards_; }

  DaemonProcess& daemon() { return *daemon_; }
  PrometheusServer& prometheus() { return prometheus_; }
  LiveFleet& live() { return *live_; }

 private:
  std::string StartDaemonWithHistory();
  std::string WaitForExpectedAlerts();
  void WatchAlerts();

  jetstream::testing::NatsServer nats_;
  std::unique_ptr<jetstream::testing::Publisher> publisher_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<LiveFleet> live_;
  PrometheusServer prometheus_;
  Dashboards dashboards_;
  std::map<std::string, std::set<std::string>> alert_groups_;
  std::vector<Alert> first_firing_;
  AlertHold hold_;
};

}  // namespace atmwatch::testing
