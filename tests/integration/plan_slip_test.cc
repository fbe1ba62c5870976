// Breakeven against the plan's window, end to end: atmwatchd fed the seed
// history (FY2008-FY2009) and a first half of FY2010 (`atmwatch sim
// --scenario trust-networks` with two more quarters), under the example
// plan (deploy/atmwatch.example.yaml: breakeven from October 2010 to March
// 2011), scraped by a real Prometheus with the shipped rules. Usage that
// grows fast through the half reaches breakeven inside the window and
// BreakevenPlanSlipping stays quiet; usage that grows slowly reaches it
// after the window and the alert fires. The rules' `for:` is shortened
// (testing/shipped_prometheus.h): holding for a day is the promtool tests'.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "testing/daemon_process.h"
#include "testing/eventually.h"
#include "testing/prometheus_server.h"
#include "testing/read_file.h"
#include "testing/shipped_prometheus.h"
#include "testing/temp_dir.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

const std::filesystem::path kDeploy = ATMWATCH_DEPLOY_DIR;
const std::string kReferenceCsv = ATMWATCH_DATA_DIR "/trust-networks-quarters.csv";
constexpr double kDay = 86'400;

// The example plan's costs for 1Q10 and 2Q10 (JPY million), booked as the
// seed books every quarter; `q1` and `q2` are the revenue.
std::string FirstHalfRows(int q1, int q2) {
  return "1Q10,2010-04-01,2010-06-30," + std::to_string(q1) + ",260,60,320," +
         std::to_string(q1 - 320) + "\n2Q10,2010-07-01,2010-09-30," + std::to_string(q2) +
         ",255,60,315," + std::to_string(q2 - 315) + "\n";
}

// The `plan:` section of the shipped example, which ends the file.
std::string ExamplePlan() {
  const std::string example = ReadFile(kDeploy / "atmwatch.example.yaml");
  const std::size_t at = example.find("\nplan:\n");
  return at == std::string::npos ? "" : example.substr(at + 1);
}

// The value of the first series `expr` answers, or NaN.
double QueryValue(const PrometheusServer& prometheus, const std::string& expr) {
  const PromQueryResult answer = prometheus.Query(expr);
  if (!answer.error.empty() || answer.items.empty()) return NAN;
  return std::stod(answer.items[0].fields().at("value").list_value().values(1).string_value());
}

struct FirstHalf {
  std::string error;  // why the run could not be made
  double slip_seconds = NAN;
  bool slipping = false;  // BreakevenPlanSlipping fired
};

// Streams the history with a first half of FY2010 earning `q1` and `q2`
// (JPY million), then watches the shipped rules until the alert fires or the
// slip has been evaluated for well past the shortened `for:`.
FirstHalf RunFirstHalf(int q1, int q2) {
  FirstHalf result;
  TempDir dir("atmwatch-plan-slip");
  const std::string csv = dir.path() + "/quarters.csv";
  std::ofstream(csv) << ReadFile(kReferenceCsv) << FirstHalfRows(q1, q2);

  const ToolResult inventory = RunTool({ATMWATCH_CLI_PATH, "sim", "--scenario", "trust-networks",
                                        "--csv", csv, "--print-inventory"});
  if (inventory.exit_code != 0) return {"inventory: " + inventory.output};
  const std::string plan = ExamplePlan();
  if (plan.empty()) return {"no plan: section in the example config"};
  DaemonProcess daemon("ingest: {max_event_age: 0}\n" + inventory.output + plan);
  if (!daemon.Start()) return {"atmwatchd did not start:\n" + daemon.log()};
  const ToolResult sim = RunTool({ATMWATCH_CLI_PATH, "sim", "--scenario", "trust-networks", "--csv",
                                  csv, "--ingest", daemon.ingest_address()});
  if (sim.exit_code != 0 || sim.output.find(" 0 rejected") == std::string::npos) {
    return {"the history was not taken whole:\n" + sim.output};
  }

  PrometheusServer prometheus;
  std::string error;
  const std::string config = ShippedConfigFor(
      kDeploy / "prometheus", daemon.http_base().substr(std::string("http://").size()),
      prometheus.root(), &error);
  if (!error.empty()) return {error};
  if (!prometheus.Start(config)) return {"prometheus did not start:\n" + prometheus.log()};

  // Scraped and evaluated every second: after 3 x the `for:` of samples, a
  // condition that held would have fired.
  const std::string evaluated = "count_over_time(atmwatch_breakeven_plan_slip_seconds[1m]) >= " +
                                std::to_string(3 * kShortForSeconds);
  const std::string firing = "ALERTS{alertname=\"BreakevenPlanSlipping\",alertstate=\"firing\"}";
  Eventually(
      [&] {
        result.slipping = !std::isnan(QueryValue(prometheus, firing));
        return result.slipping || !std::isnan(QueryValue(prometheus, evaluated));
      },
      std::chrono::seconds(60), std::chrono::milliseconds(500));
  result.slip_seconds = QueryValue(prometheus, "atmwatch_breakeven_plan_slip_seconds");
  if (std::isnan(result.slip_seconds)) {
    result.error = "no atmwatch_breakeven_plan_slip_seconds in Prometheus:\n" + prometheus.log();
  }
  return result;
}

class PlanSlipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(HaveTool("prometheus"))
        << "prometheus is not installed (Debian package prometheus; scripts/setup-debian.sh "
           "installs it)";
  }
};

// 180 then 250: per ATM-day 14,500 then 20,000 yen, 59 yen more each day.
// The plan's 3Q10 costs are 3.37 million a day, 24,800 per ATM: reached
// about 80 days after 2Q10's middle, in early November, inside the window.
TEST_F(PlanSlipTest, FastGrowthBreaksEvenInsideTheWindowAndNothingFires) {
  const FirstHalf half = RunFirstHalf(180, 250);
  ASSERT_TRUE(half.error.empty()) << half.error;
  std::cout << "breakeven against the window's last day: " << half.slip_seconds / kDay
            << " days\n";
  EXPECT_LE(half.slip_seconds, -90 * kDay);   // at least three months to spare
  EXPECT_GT(half.slip_seconds, -182 * kDay);  // but not before the window opens
  EXPECT_FALSE(half.slipping);
}

// 150 then 190: 12,100 then 15,200 yen per ATM-day, 33 more each day: the
// 24,800 of the costs come about 290 days after 2Q10's middle, at the end
// of May 2011, two months after the window.
TEST_F(PlanSlipTest, SlowGrowthBreaksEvenAfterTheWindowAndTheAlertFires) {
  const FirstHalf half = RunFirstHalf(150, 190);
  ASSERT_TRUE(half.error.empty()) << half.error;
  std::cout << "breakeven against the window's last day: " << half.slip_seconds / kDay
            << " days\n";
  EXPECT_GE(half.slip_seconds, 30 * kDay);
  EXPECT_LE(half.slip_seconds, 120 * kDay);
  EXPECT_TRUE(half.slipping);
}

}  // namespace
}  // namespace atmwatch::testing
