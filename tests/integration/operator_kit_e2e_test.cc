// The operator kit end to end: a real atmwatchd fed a simulated fleet, the
// real Prometheus scraping it with the shipped prometheus.yml and rule files,
// the alerts an operator would get, and every query of the shipped Grafana
// dashboards evaluated against that Prometheus (operator_kit.h). One test
// per alert group of deploy/prometheus/rules/atmwatch-alerts.yml and per
// row of the dashboards, all on the one running kit: it takes a minute to
// bring up and watch, so the binary runs as one ctest test.

#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <set>
#include <string>

#include "operator_kit.h"
#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

using jetstream::testing::NatsServer;

// What Grafana would put in: its intervals for a 1 s scrape interval
// ($__rate_interval is at least four scrapes), "All" regions (the region
// variable's allValue) and, for $atm, each ATM of the inventory in turn.
const std::map<std::string, std::string> kGrafanaValues = {
    {"__rate_interval", "20s"}, {"__interval", "5s"}, {"__range", "1h"}, {"region", ".*"}};

const std::set<std::string> kAlertGroups = {"atmwatch-atm",  "atmwatch-lines", "atmwatch-business",
                                            "atmwatch-plan", "atmwatch-slo",   "atmwatch-self"};
const std::set<std::string> kDashboardRows = {
    "Network overview",    "ATM $atm", "MVNO lines", "atmwatch itself",
    "JetStream consumers", "Plan",     "Cash",       "Availability"};

class OperatorKitE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveTool("prometheus") || NatsServer::Executable().empty()) return;
    kit_ = new OperatorKit;
    start_error_ = kit_->Start();
  }
  static void TearDownTestSuite() {
    delete kit_;
    kit_ = nullptr;
  }

  void SetUp() override {
    if (!HaveTool("prometheus")) {
      GTEST_SKIP() << "prometheus is not installed (Debian package prometheus; "
                      "scripts/setup-debian.sh installs it)";
    }
    if (NatsServer::Executable().empty()) {
      GTEST_SKIP() << "nats-server is not installed (Debian package nats-server; "
                      "scripts/setup-debian.sh installs it)";
    }
    ASSERT_TRUE(start_error_.empty()) << start_error_;
    ASSERT_FALSE(stopped_) << "an earlier test stopped the operator kit";
  }

  // The alerts beyond the scenario's seen while watching whose alert is in
  // the shipped `group`.
  static std::string UnexpectedIn(const std::string& group) {
    const std::set<std::string>& names = kit_->alert_groups().at(group);
    std::string text;
    for (const std::string& each : kit_->hold().unexpected) {
      if (names.contains(each.substr(0, each.find(' ')))) text += "  " + each + "\n";
    }
    return text;
  }

  static void ExpectRowAnswers(const std::string& row) {
    const std::vector<PanelQuery> queries = QueriesInRow(kit_->dashboards(), row);
    ASSERT_FALSE(queries.empty()) << "no panel queries in the row " << row;
    ExpectEveryQueryAnswers(kit_->prometheus(), queries, kGrafanaValues);
  }

  static inline OperatorKit* kit_ = nullptr;
  static inline std::string start_error_;
  static inline bool stopped_ = false;
};

// --- alert groups -----------------------------------------------------------

TEST_F(OperatorKitE2eTest, TheShippedAlertGroupsAreTheOnesTestedHere) {
  std::set<std::string> groups;
  for (const auto& [group, alerts] : kit_->alert_groups()) groups.insert(group);
  EXPECT_EQ(groups, kAlertGroups);
}

// AtmSilent for the silent ATM alone and AtmLowUsage for the low ATM alone
// fire, with the inventory's labels, and keep firing with no other ATM alert
// active for long enough that a healthy ATM whose heartbeats stopped would be
// down and its AtmDown past its `for:`.
TEST_F(OperatorKitE2eTest, AtmGroupFiresSilentAndLowUsageForTheirAtmsAloneAndNothingElse) {
  EXPECT_TRUE(ExpectedAlertsFiring(kit_->first_firing())) << Describe(kit_->first_firing());
  ExpectInventoryLabels(kit_->first_firing());
  const AlertHold& hold = kit_->hold();
  EXPECT_GT(hold.polls, 0);
  EXPECT_EQ(hold.polls_with_expected_firing, hold.polls)
      << "the expected alerts stopped firing; now:\n"
      << Describe(hold.last) << hold.error;
  const std::string unexpected = UnexpectedIn("atmwatch-atm");
  EXPECT_TRUE(unexpected.empty()) << "alerts beyond the scenario's:\n"
                                  << unexpected << "fleet error: " << kit_->live().error();
  // The healthy ATMs' quiet is not for want of data: Prometheus sees all up.
  const PromQueryResult up = kit_->prometheus().Query("atmwatch_atm_up == 1");
  EXPECT_EQ(up.items.size(), std::size(kFleet)) << up.error;
}

// Every line attached and in session, none flapping.
TEST_F(OperatorKitE2eTest, LinesGroupStaysQuiet) {
  const std::string unexpected = UnexpectedIn("atmwatch-lines");
  EXPECT_TRUE(unexpected.empty()) << "alerts beyond the scenario's:\n"
                                  << unexpected << "fleet error: " << kit_->live().error();
}

// Every ATM above breakeven, no withdrawal failing with an issuer error.
TEST_F(OperatorKitE2eTest, BusinessGroupStaysQuiet) {
  const std::string unexpected = UnexpectedIn("atmwatch-business");
  EXPECT_TRUE(unexpected.empty()) << "alerts beyond the scenario's:\n"
                                  << unexpected << "fleet error: " << kit_->live().error();
}

// The fleet earns its costs and its lines meet the target in time; and the
// plan's alerts hold for a day.
TEST_F(OperatorKitE2eTest, PlanGroupStaysQuiet) {
  const std::string unexpected = UnexpectedIn("atmwatch-plan");
  EXPECT_TRUE(unexpected.empty()) << "alerts beyond the scenario's:\n"
                                  << unexpected << "fleet error: " << kit_->live().error();
}

// Every source sent within the last minutes, nothing rejected, only the
// daemon scraped; kAllowedFleetAlerts aside.
TEST_F(OperatorKitE2eTest, SelfGroupStaysQuietButForTheAllowedFleetAlerts) {
  const std::string unexpected = UnexpectedIn("atmwatch-self");
  EXPECT_TRUE(unexpected.empty()) << "alerts beyond the scenario's:\n"
                                  << unexpected << "fleet error: " << kit_->live().error();
}

TEST_F(OperatorKitE2eTest, EveryAlertSeenIsOfAShippedGroup) {
  std::string outside;
  for (const std::string& each : kit_->hold().unexpected) {
    const std::string name = each.substr(0, each.find(' '));
    bool shipped = false;
    for (const auto& [group, alerts] : kit_->alert_groups()) shipped |= alerts.contains(name);
    if (!shipped) outside += "  " + each + "\n";
  }
  EXPECT_TRUE(outside.empty()) << "alerts of no shipped group:\n" << outside;
}

// --- dashboard rows -----------------------------------------------------------

TEST_F(OperatorKitE2eTest, TheDashboardRowsAreTheOnesTestedHere) {
  std::set<std::string> rows;
  for (const PanelQuery& query : kit_->dashboards().queries) rows.insert(query.row);
  EXPECT_EQ(rows, kDashboardRows);
}

// The query variables' label_values(SELECTOR, LABEL) answer; $atm lists
// exactly the inventory.
TEST_F(OperatorKitE2eTest, DashboardVariablesAnswer) {
  ExpectVariablesAnswer(kit_->prometheus(), kit_->dashboards(), kGrafanaValues);
}

TEST_F(OperatorKitE2eTest, NetworkOverviewRowAnswers) { ExpectRowAnswers("Network overview"); }

// Asked once per ATM of the inventory.
TEST_F(OperatorKitE2eTest, AtmRowAnswersForEveryAtm) {
  const std::vector<PanelQuery> queries = QueriesInRow(kit_->dashboards(), "ATM $atm");
  ASSERT_FALSE(queries.empty());
  EXPECT_GT(ExpectEveryQueryAnswers(kit_->prometheus(), queries, kGrafanaValues), queries.size())
      << "no panel uses $atm";
}

TEST_F(OperatorKitE2eTest, MvnoLinesRowAnswers) { ExpectRowAnswers("MVNO lines"); }

TEST_F(OperatorKitE2eTest, AtmwatchItselfRowAnswers) { ExpectRowAnswers("atmwatch itself"); }

TEST_F(OperatorKitE2eTest, PlanRowAnswers) { ExpectRowAnswers("Plan"); }

TEST_F(OperatorKitE2eTest, CashRowAnswers) { ExpectRowAnswers("Cash"); }
TEST_F(OperatorKitE2eTest, AvailabilityRowAnswers) { ExpectRowAnswers("Availability"); }

TEST_F(OperatorKitE2eTest, JetStreamConsumersRowAnswers) {
  ExpectRowAnswers("JetStream consumers");
}

// --- the end --------------------------------------------------------------------

// Stops the kit, so it comes last (a suite's tests run in the order written).
// The live fleet never failed nor had an event rejected, each batch
// JetStream took was applied and acked once, and everything stops (bounded).
TEST_F(OperatorKitE2eTest, LiveFleetWasTakenWholeAndEverythingStopsCleanly) {
  stopped_ = true;
  LiveFleet& live = kit_->live();
  live.Stop();
  EXPECT_EQ(live.error(), "");
  EXPECT_EQ(live.rejected(), 0u);
  EXPECT_GT(live.published(), 0u);
  const std::string applied_series =
      std::string("atmwatch_jetstream_messages_acked_total{result=\"applied\",subject=\"") +
      kJetStreamSubject + "\"}";
  DaemonProcess& daemon = kit_->daemon();
  double applied = -1;
  Eventually(
      [&] {
        applied = SampleValue(HttpGet(daemon.http_base() + "/metrics").body, applied_series);
        return applied == static_cast<double>(live.published());
      },
      std::chrono::seconds(10));
  EXPECT_EQ(applied, static_cast<double>(live.published())) << daemon.log();
  EXPECT_EQ(kit_->prometheus().Stop(), 0) << kit_->prometheus().log();
  EXPECT_EQ(daemon.Stop(SIGTERM), 0) << daemon.log();
}

}  // namespace
}  // namespace atmwatch::testing
