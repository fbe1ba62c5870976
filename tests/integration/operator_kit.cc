#include "operator_kit.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "testing/eventually.h"
#include "testing/http_fetch.h"

namespace atmwatch::testing {
namespace {

const std::filesystem::path kDeploy = ATMWATCH_DEPLOY_DIR;

// True once the daemon itself says every ATM is up (bounded wait), so that
// Prometheus's first scrape already sees the fleet as it will stay.
bool WaitUntilAllUp(const DaemonProcess& daemon, std::chrono::seconds timeout) {
  return Eventually(
      [&] {
        const std::string metrics = HttpGet(daemon.http_base() + "/metrics").body;
        return std::all_of(std::begin(kFleet), std::end(kFleet), [&](const FleetAtm& atm) {
          return SampleValue(metrics, std::string("atmwatch_atm_up{atm_id=\"") + atm.id + "\"}") ==
                 1;
        });
      },
      timeout, std::chrono::milliseconds(100));
}

}  // namespace

std::string OperatorKit::Start() {
  dashboards_ = LoadDashboards(kDeploy / "grafana" / "dashboards");
  if (!dashboards_.error.empty()) return dashboards_.error;
  alert_groups_ = AlertGroupsOf(kDeploy / "prometheus" / "rules" / "atmwatch-alerts.yml");

  // The stream exists before the daemon starts, so that its consumer binds
  // at once instead of after a retry.
  if (!nats_.Start()) return "nats-server did not start:\n" + nats_.log();
  publisher_ = std::make_unique<jetstream::testing::Publisher>(nats_.url());
  if (!publisher_->connected()) return publisher_->error();
  if (!publisher_->AddStream("ATMWATCH", {"atmwatch.events.>"})) return publisher_->error();
  if (std::string error = StartDaemonWithHistory(); !error.empty()) return error;

  live_ = std::make_unique<LiveFleet>(ClientFor(*daemon_, "fleet-live"), *publisher_);
  if (!WaitUntilAllUp(*daemon_, std::chrono::seconds(20))) {
    return "not every ATM is up; fleet error: " + live_->error() + "\n" +
           HttpGet(daemon_->http_base() + "/metrics").body;
  }

  std::string config_error;
  const std::string config = ShippedConfigFor(
      kDeploy / "prometheus", daemon_->http_base().substr(std::string("http://").size()),
      prometheus_.root(), &config_error);
  if (!config_error.empty()) return config_error;
  if (!prometheus_.Start(config)) return "prometheus did not start:\n" + prometheus_.log();

  if (std::string error = WaitForExpectedAlerts(); !error.empty()) return error;
  WatchAlerts();
  return "";
}

std::string OperatorKit::StartDaemonWithHistory() {
  const int64_t start_ms = NowMs();
  const int offset_minutes = NoonOffsetMinutes(start_ms);
  const int64_t local_ms = start_ms + offset_minutes * kMinuteMs;
  const int64_t today_midnight_ms = start_ms - local_ms % kDayMs;
  daemon_ = std::make_unique<DaemonProcess>(DaemonConfig(offset_minutes, nats_.url()));
  if (!daemon_->Start()) return "atmwatchd did not start:\n" + daemon_->log();
  client::IngestClient history(ClientFor(*daemon_, "fleet-history"));
  for (v1::Envelope& event : FleetHistory(today_midnight_ms, start_ms)) {
    if (!history.Add(std::move(event)).ok()) return "history not sent:\n" + daemon_->log();
  }
  if (!history.Flush().ok()) return "history not flushed:\n" + daemon_->log();
  if (history.totals().rejected != 0) {
    return std::to_string(history.totals().rejected) + " history events rejected:\n" +
           daemon_->log();
  }
  return "";
}

// AtmSilent for the silent ATM alone and AtmLowUsage for the low ATM alone,
// firing (bounded wait).
std::string OperatorKit::WaitForExpectedAlerts() {
  std::string alerts_error;
  const bool firing = Eventually(
      [&] {
        first_firing_ = ActiveAlerts(prometheus_, &alerts_error);
        return ExpectedAlertsFiring(first_firing_);
      },
      std::chrono::seconds(90), std::chrono::milliseconds(500));
  if (firing) return "";
  return "AtmSilent for " + kSilentAtm + " and AtmLowUsage for " + kLowAtm +
         " did not both fire, alone, within 90 s; active:\n" + Describe(first_firing_) +
         alerts_error + "\nfleet error: " + live_->error() + "\n" + prometheus_.log();
}

// The expected alerts must hold, with nothing else active, for long enough
// that a healthy ATM whose heartbeats stopped would be down (atm_silence)
// and its AtmDown past its `for:`. Watching for that long is the point:
// "nothing else fires within kHold" has no earlier sign to wait for.
void OperatorKit::WatchAlerts() {
  hold_.unexpected = UnexpectedAlerts(first_firing_);
  for (const auto until = std::chrono::steady_clock::now() + kHold;
       std::chrono::steady_clock::now() < until;
       std::this_thread::sleep_for(std::chrono::seconds(1))) {
    hold_.last = ActiveAlerts(prometheus_, &hold_.error);
    ++hold_.polls;
    hold_.polls_with_expected_firing += ExpectedAlertsFiring(hold_.last) ? 1 : 0;
    hold_.unexpected.merge(UnexpectedAlerts(hold_.last));
  }
}

}  // namespace atmwatch::testing
