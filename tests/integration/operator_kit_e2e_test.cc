// The operator kit end to end: a real atmwatchd fed a simulated fleet, the
// real Prometheus scraping it with the shipped prometheus.yml and rule files,
// the alerts an operator would get, and every query of the shipped Grafana
// dashboards evaluated against that Prometheus.
//
// The fleet: six ATMs with fifteen days of history at 12 transactions an
// hour, so each has a 7-day average and a baseline for today's weekday (the
// same weekday one and two weeks ago). Today, ATM0003 has had no transaction
// for three hours although it keeps sending heartbeats and its line is up
// (AtmSilent), and ATM0005 has done a sixth of its usual (AtmLowUsage); the
// others go on transacting while the test runs. The kanto ATMs send live
// through a real nats-server, on a JetStream subject the daemon consumes as
// a scaled-out network's daemons do; the others over the TCP port.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "atmwatch/v1/events.pb.h"
#include "client/ingest_client.h"
#include "jetstream/testing/nats_server.h"
#include "testing/daemon_process.h"
#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/prometheus_server.h"
#include "testing/read_file.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

using google::protobuf::Struct;
using jetstream::testing::NatsServer;
using jetstream::testing::Publisher;
using v1::AtmStatus;
using v1::AtmTransaction;
using v1::LineEvent;

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;

// History: this many whole days before today, 12 transactions an hour.
constexpr int kHistoryDays = 15;
constexpr int kSlotsPerHour = 12;
constexpr int64_t kSlotMs = kHourMs / kSlotsPerHour;

struct FleetAtm {
  const char* id;
  const char* site;
  const char* region;
  const char* line_id;
  const char* carrier;
};
constexpr FleetAtm kFleet[] = {
    {"ATM0001", "Parlor Shinjuku 1", "kanto", "819000000001", "docomo"},
    {"ATM0002", "Shop Umeda 2", "kansai", "819000000002", "kddi"},
    {"ATM0003", "Parlor Namba 3", "kansai", "819000000003", "docomo"},
    {"ATM0004", "Shop Sapporo 4", "hokkaido", "819000000004", "kddi"},
    {"ATM0005", "Parlor Ikebukuro 5", "kanto", "819000000005", "docomo"},
    {"ATM0006", "Shop Kobe 6", "kansai", "819000000006", "kddi"},
};
const std::string kSilentAtm = "ATM0003";
const std::string kLowAtm = "ATM0005";
// The silent ATM's last transaction is this long ago (AtmSilent: over 2 h).
constexpr int64_t kSilenceMs = 3 * kHourMs;

// The live fleet's kanto ATMs publish one batch a second here, as one source.
const std::string kJetStreamRegion = "kanto";
constexpr char kJetStreamSubject[] = "atmwatch.events.kanto";
constexpr char kJetStreamSource[] = "fleet-live-kanto";

// The daemon's atm_silence: short, so that the healthy ATMs are up only as
// long as the live fleet keeps sending.
constexpr int kAtmSilenceSeconds = 10;

// Every `for:` of the shipped alerts becomes this many seconds, so that an
// alert whose condition holds fires within seconds instead of after its 5
// minutes to a day (AtmSilent's is an hour, AtmLowUsage's 30 minutes). Only
// the `for:` lines change; every expression is used as shipped.
constexpr int kShortForSeconds = 5;

// How long the expected alerts must keep firing with nothing else active: an
// ATM that stopped sending is down after atm_silence, and its AtmDown fires
// kShortForSeconds later; twice that and a few scrapes.
constexpr std::chrono::seconds kHold{2 * (kAtmSilenceSeconds + kShortForSeconds) + 5};

// Alerts without an ATM that may fire here for a reason outside this test:
// the machine's disk is shared with builds and other tests, so its fsync
// latency can pass 100 ms (AtmwatchWalFsyncSlow). Any other alert means a
// broken rule, metric or scenario: every ATM is above breakeven, every source
// sent within the last minutes (AtmwatchIngestStalled needs 15), nothing is
// rejected, only the daemon is scraped, no withdrawal fails with an issuer
// error, no line flaps, and Prometheus holds no data from 91 days ago.
const std::set<std::string> kAllowedFleetAlerts = {"AtmwatchWalFsyncSlow"};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A UTC offset (minutes, -12:00..+12:00) at which the local time is noon at
// `now_ms`: today's baseline then has twelve hours behind it and no local
// midnight falls within the test, whenever it runs.
int NoonOffsetMinutes(int64_t now_ms) {
  const int utc_minute_of_day = static_cast<int>((now_ms / kMinuteMs) % (24 * 60));
  return 12 * 60 - utc_minute_of_day;
}

std::string OffsetText(int minutes) {
  char text[8];
  std::snprintf(text, sizeof text, "%c%02d:%02d", minutes < 0 ? '-' : '+', std::abs(minutes) / 60,
                std::abs(minutes) % 60);
  return text;
}

std::string DaemonConfig(int offset_minutes, const std::string& nats_url) {
  std::string yaml = "timezone: \"" + OffsetText(offset_minutes) +
                     "\"\n"
                     // Open all day, so the business-hours alerts apply whenever the test runs.
                     "business_hours: {start: \"00:00\", end: \"24:00\"}\n"
                     "atm_silence: " +
                     std::to_string(kAtmSilenceSeconds) +
                     "s\n"
                     "fees: {bands: [], default_yen: 150}\n"
                     // Breakeven near 200 transactions a day: every ATM is above it.
                     "costs: {per_atm_monthly_yen: 300000, fixed_monthly_yen: 3000000, "
                     "per_transaction_yen: 10}\n"
                     "targets: {mvno_lines: 10}\n"
                     "jetstream: {url: \"" +
                     nats_url + "\", stream: ATMWATCH, durable: atmwatchd, subjects: [" +
                     kJetStreamSubject +
                     "]}\n"
                     "atms:\n";
  for (const FleetAtm& atm : kFleet) {
    yaml += std::string("  - {id: ") + atm.id + ", site: \"" + atm.site +
            "\", region: " + atm.region + ", line_id: \"" + atm.line_id +
            "\", carrier: " + atm.carrier + "}\n";
  }
  return yaml;
}

v1::Envelope Withdrawal(const std::string& atm, int64_t time_ms, bool approved,
                        const std::string& issuer) {
  v1::Envelope event;
  event.set_time_unix_ms(time_ms);
  AtmTransaction* tx = event.mutable_transaction();
  tx->set_atm_id(atm);
  tx->set_type(AtmTransaction::WITHDRAWAL);
  tx->set_result(approved ? AtmTransaction::APPROVED : AtmTransaction::DECLINED);
  tx->set_amount_yen(approved ? 20'000 : 0);
  tx->set_issuer(issuer);
  return event;
}

v1::Envelope StatusEvent(const std::string& atm, int64_t time_ms, bool heartbeat) {
  v1::Envelope event;
  event.set_time_unix_ms(time_ms);
  AtmStatus* status = event.mutable_status();
  status->set_atm_id(atm);
  if (heartbeat) {
    status->set_heartbeat(true);
  } else {
    status->set_state(AtmStatus::IN_SERVICE);
  }
  return event;
}

v1::Envelope Line(const FleetAtm& atm, int64_t time_ms, LineEvent::Kind kind, uint64_t bytes) {
  v1::Envelope event;
  event.set_time_unix_ms(time_ms);
  LineEvent* line = event.mutable_line();
  line->set_line_id(atm.line_id);
  line->set_carrier(atm.carrier);
  line->set_kind(kind);
  if (kind != LineEvent::ATTACH) {
    line->set_session_id(std::string("S-") + atm.line_id);
    line->set_bytes_in(bytes);
    line->set_bytes_out(3 * bytes);
  }
  return event;
}

const char* IssuerOf(int slot) {
  static constexpr const char* kIssuers[] = {"0005", "0009", "0033"};
  return kIssuers[slot % 3];
}

// The fleet's past up to `now_ms`, in time order: every ATM at 12
// transactions an hour (one in 12 declined) from local midnight
// `kHistoryDays` days ago, except the silent ATM's last three hours and most
// of the low ATM's today; then each line attached and in session and each
// ATM in service a minute or two ago.
std::vector<v1::Envelope> FleetHistory(int64_t today_midnight_ms, int64_t now_ms) {
  std::vector<v1::Envelope> events;
  for (int64_t slot_start = today_midnight_ms - kHistoryDays * kDayMs; slot_start < now_ms;
       slot_start += kSlotMs) {
    const int slot = static_cast<int>((slot_start / kSlotMs) % kSlotsPerHour);
    const bool today = slot_start >= today_midnight_ms;
    for (std::size_t i = 0; i < std::size(kFleet); ++i) {
      const std::string id = kFleet[i].id;
      const int64_t time_ms = slot_start + static_cast<int64_t>(i) * 7'000;
      if (time_ms >= now_ms) continue;
      if (id == kSilentAtm && time_ms >= now_ms - kSilenceMs) continue;
      if (id == kLowAtm && today && slot % 6 != 0) continue;  // 2 an hour instead of 12
      events.push_back(Withdrawal(id, time_ms, slot != kSlotsPerHour - 1, IssuerOf(slot)));
    }
  }
  for (const FleetAtm& atm : kFleet) {
    events.push_back(Line(atm, now_ms - 120'000, LineEvent::ATTACH, 0));
    events.push_back(Line(atm, now_ms - 110'000, LineEvent::SESSION_START, 0));
    events.push_back(StatusEvent(atm.id, now_ms - 100'000, /*heartbeat=*/false));
  }
  return events;
}

client::ClientOptions ClientFor(const DaemonProcess& daemon, const std::string& source_id) {
  client::ClientOptions options;
  options.address = daemon.ingest_address();
  options.source_id = source_id;
  options.ack_timeout = std::chrono::seconds(10);
  options.give_up_after = std::chrono::seconds(15);
  return options;
}

// The fleet in real time, on its own thread: each second a heartbeat from
// every ATM, an interim accounting update of every line, a withdrawal at
// every healthy ATM and now and then one at the low ATM; none at the silent
// one. The kanto ATMs' events go out as one JetStream batch a second, the
// others' over the TCP port.
class LiveFleet {
 public:
  LiveFleet(client::ClientOptions options, Publisher& publisher)
      : publisher_(publisher), thread_([this, options = std::move(options)] { Run(options); }) {}
  ~LiveFleet() { Stop(); }
  LiveFleet(const LiveFleet&) = delete;
  LiveFleet& operator=(const LiveFleet&) = delete;

  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  // Set once the thread has stopped: why it failed, empty if it did not.
  std::string error() const {
    std::lock_guard lock(mutex_);
    return error_;
  }
  // Events the daemon rejected so far on the TCP port.
  uint64_t rejected() const { return rejected_; }
  // Batches JetStream has taken so far (publish acked).
  uint64_t published() const { return published_; }

 private:
  void Run(const client::ClientOptions& options) {
    client::IngestClient client(options);
    for (uint64_t tick = 1;; ++tick) {
      const int64_t now = NowMs();
      v1::Batch jetstream_batch;
      jetstream_batch.set_source_id(kJetStreamSource);
      jetstream_batch.set_seq(tick);
      for (std::size_t i = 0; i < std::size(kFleet); ++i) {
        const FleetAtm& atm = kFleet[i];
        std::vector<v1::Envelope> events = {
            StatusEvent(atm.id, now, /*heartbeat=*/true),
            Line(atm, now, LineEvent::SESSION_INTERIM, tick * 1500)};
        const bool transacts = atm.id != kSilentAtm && (atm.id != kLowAtm || tick % 30 == 0);
        if (transacts) {
          events.push_back(
              Withdrawal(atm.id, now, /*approved=*/true, IssuerOf(static_cast<int>(tick + i))));
        }
        for (v1::Envelope& event : events) {
          if (atm.region == kJetStreamRegion) {
            *jetstream_batch.add_events() = std::move(event);
          } else if (Status status = client.Add(std::move(event)); !status.ok()) {
            return Fail(status.message());
          }
        }
      }
      if (Status status = client.Flush(); !status.ok()) return Fail(status.message());
      rejected_ = client.totals().rejected;
      if (!publisher_.Publish(kJetStreamSubject, jetstream_batch)) return Fail(publisher_.error());
      published_ = tick;
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) return;
    }
  }
  void Fail(const std::string& why) {
    std::lock_guard lock(mutex_);
    error_ = why;
  }

  Publisher& publisher_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::string error_;
  std::atomic<uint64_t> rejected_{0};
  std::atomic<uint64_t> published_{0};
  std::thread thread_;
};

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

struct Alert {
  std::string name;
  std::string state;
  std::map<std::string, std::string> labels;
};

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

// One query of a dashboard panel.
struct PanelQuery {
  std::string panel;  // "dashboard file: panel title (id N), refId A"
  std::string expr;
};

void CollectQueries(const std::string& file, const google::protobuf::ListValue& panels,
                    std::vector<PanelQuery>* out) {
  for (const auto& value : panels.values()) {
    const auto& panel = value.struct_value().fields();
    if (panel.contains("panels")) CollectQueries(file, panel.at("panels").list_value(), out);
    if (!panel.contains("targets")) continue;
    const std::string title = panel.contains("title") ? panel.at("title").string_value() : "";
    const int id = panel.contains("id") ? static_cast<int>(panel.at("id").number_value()) : 0;
    for (const auto& target : panel.at("targets").list_value().values()) {
      const auto& fields = target.struct_value().fields();
      const std::string ref_id = fields.contains("refId") ? fields.at("refId").string_value() : "?";
      const std::string expr = fields.contains("expr") ? fields.at("expr").string_value() : "";
      out->push_back(
          {file + ": " + title + " (id " + std::to_string(id) + "), refId " + ref_id, expr});
    }
  }
}

// Replaces Grafana's variables ($name and ${name}), longest name first so
// that no name is taken for the start of a longer one.
std::string Substitute(std::string expr, const std::map<std::string, std::string>& values) {
  std::vector<std::pair<std::string, std::string>> ordered(values.begin(), values.end());
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [name, value] : ordered) {
    for (const std::string& token : {"${" + name + "}", "$" + name}) {
      for (std::size_t at = expr.find(token); at != std::string::npos;
           at = expr.find(token, at + value.size())) {
        expr.replace(at, token.size(), value);
      }
    }
  }
  return expr;
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

// True once the daemon itself says every ATM is up (bounded wait), so that
// Prometheus's first scrape already sees the fleet as it will stay.
bool WaitUntilAllUp(const DaemonProcess& daemon, std::chrono::seconds timeout) {
  for (const auto deadline = std::chrono::steady_clock::now() + timeout;
       std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(std::chrono::milliseconds(100))) {
    const std::string metrics = HttpGet(daemon.http_base() + "/metrics").body;
    if (std::all_of(std::begin(kFleet), std::end(kFleet), [&](const FleetAtm& atm) {
          return SampleValue(metrics, std::string("atmwatch_atm_up{atm_id=\"") + atm.id + "\"}") ==
                 1;
        })) {
      return true;
    }
  }
  return false;
}

struct Dashboards {
  std::vector<PanelQuery> queries;
  std::vector<std::pair<std::string, Struct>> variables;  // (file, templating entry)
  std::string error;
};

Dashboards LoadDashboards(const std::filesystem::path& dir) {
  Dashboards dashboards;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    const std::string file = entry.path().filename().string();
    const std::optional<Struct> dashboard = ParseJsonObject(ReadFile(entry.path()));
    if (!dashboard || !dashboard->fields().contains("panels")) {
      dashboards.error += file + " is not a dashboard (a JSON object with panels)\n";
      continue;
    }
    const auto& fields = dashboard->fields();
    CollectQueries(file, fields.at("panels").list_value(), &dashboards.queries);
    if (!fields.contains("templating")) continue;
    const auto& templating = fields.at("templating").struct_value().fields();
    if (!templating.contains("list")) continue;
    for (const auto& variable : templating.at("list").list_value().values()) {
      dashboards.variables.emplace_back(file, variable.struct_value());
    }
  }
  if (dashboards.queries.empty()) dashboards.error += "no panel queries under " + dir.string();
  return dashboards;
}

// The query variables' label_values(SELECTOR, LABEL): the selector answers
// and the label has values; `atm` lists exactly the inventory.
void ExpectVariablesAnswer(const PrometheusServer& prometheus, const Dashboards& dashboards,
                           const std::map<std::string, std::string>& values) {
  const std::regex label_values(R"(label_values\((.*),\s*(\w+)\))");
  for (const auto& [file, variable] : dashboards.variables) {
    const auto& fields = variable.fields();
    if (!fields.contains("type") || fields.at("type").string_value() != "query") continue;
    const std::string name = fields.at("name").string_value();
    const std::string query = fields.contains("query") ? fields.at("query").string_value() : "";
    std::smatch parts;
    if (!std::regex_match(query, parts, label_values)) {
      ADD_FAILURE() << file << ": $" << name << " is not label_values(SELECTOR, LABEL): " << query;
      continue;
    }
    const PromQueryResult answer = prometheus.Query(Substitute(parts[1].str(), values));
    std::set<std::string> found;
    for (const Struct& item : answer.items) found.insert(LabelsOf(item, "metric")[parts[2].str()]);
    found.erase("");
    EXPECT_FALSE(found.empty()) << file << ": $" << name << " has no values " << answer.error;
    if (name == "atm") {
      std::set<std::string> inventory;
      for (const FleetAtm& atm : kFleet) inventory.insert(atm.id);
      EXPECT_EQ(found, inventory) << file << ": $atm";
    }
  }
}

// Every panel query with the variables put in (those with $atm once per ATM
// of the inventory): an error fails at once; an empty answer is asked again
// until a deadline (a rate() needs two samples in its window, a recording
// rule its first evaluation), then fails. Returns how many were asked.
std::size_t ExpectEveryQueryAnswers(const PrometheusServer& prometheus,
                                    const Dashboards& dashboards,
                                    std::map<std::string, std::string> values) {
  std::vector<PanelQuery> pending;
  for (const PanelQuery& query : dashboards.queries) {
    if (query.expr.find("$atm") == std::string::npos) {
      pending.push_back({query.panel, Substitute(query.expr, values)});
      continue;
    }
    for (const FleetAtm& atm : kFleet) {
      values["atm"] = atm.id;
      pending.push_back({query.panel + ", $atm=" + atm.id, Substitute(query.expr, values)});
    }
  }
  const std::size_t asked = pending.size();
  std::erase_if(pending, [](const PanelQuery& query) {
    if (query.expr.find('$') == std::string::npos) return false;
    ADD_FAILURE() << query.panel << ": a variable this test does not fill in: " << query.expr;
    return true;
  });
  for (const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       !pending.empty() && std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(std::chrono::seconds(1))) {
    std::erase_if(pending, [&](const PanelQuery& query) {
      const PromQueryResult answer = prometheus.Query(query.expr);
      if (answer.error.empty()) return !answer.items.empty();
      ADD_FAILURE() << query.panel << ": " << answer.error << "\n" << query.expr;
      return true;
    });
  }
  for (const PanelQuery& query : pending) {
    ADD_FAILURE() << query.panel << ": no data\n" << query.expr;
  }
  return asked;
}

TEST(OperatorKitE2eTest, ShippedRulesAlertOnTheRightAtmsAndEveryDashboardQueryAnswers) {
  if (!HaveTool("prometheus")) {
    GTEST_SKIP() << "prometheus is not installed (Debian package prometheus; "
                    "scripts/setup-debian.sh installs it)";
  }
  if (NatsServer::Executable().empty()) {
    GTEST_SKIP() << "nats-server is not installed (Debian package nats-server; "
                    "scripts/setup-debian.sh installs it)";
  }
  const std::filesystem::path deploy = ATMWATCH_DEPLOY_DIR;
  const Dashboards dashboards = LoadDashboards(deploy / "grafana" / "dashboards");
  ASSERT_TRUE(dashboards.error.empty()) << dashboards.error;

  // --- NATS, the daemon, the fleet's past, the live fleet ----------------
  // The stream exists before the daemon starts, so that its consumer binds
  // at once instead of after a retry.
  NatsServer nats;
  ASSERT_TRUE(nats.Start()) << nats.log();
  Publisher publisher(nats.url());
  ASSERT_TRUE(publisher.connected()) << publisher.error();
  ASSERT_TRUE(publisher.AddStream("ATMWATCH", {"atmwatch.events.>"})) << publisher.error();
  const int64_t start_ms = NowMs();
  const int offset_minutes = NoonOffsetMinutes(start_ms);
  const int64_t local_ms = start_ms + offset_minutes * kMinuteMs;
  const int64_t today_midnight_ms = start_ms - local_ms % kDayMs;
  DaemonProcess daemon(DaemonConfig(offset_minutes, nats.url()));
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  {
    client::IngestClient history(ClientFor(daemon, "fleet-history"));
    for (v1::Envelope& event : FleetHistory(today_midnight_ms, start_ms)) {
      ASSERT_TRUE(history.Add(std::move(event)).ok()) << daemon.log();
    }
    ASSERT_TRUE(history.Flush().ok()) << daemon.log();
    ASSERT_EQ(history.totals().rejected, 0u) << daemon.log();
  }
  LiveFleet live(ClientFor(daemon, "fleet-live"), publisher);
  ASSERT_TRUE(WaitUntilAllUp(daemon, std::chrono::seconds(20)))
      << "fleet error: " << live.error() << "\n"
      << HttpGet(daemon.http_base() + "/metrics").body;

  // --- Prometheus with the shipped config and rules ----------------------
  PrometheusServer prometheus;
  std::string config_error;
  const std::string config = ShippedConfigFor(
      deploy / "prometheus", daemon.http_base().substr(std::string("http://").size()),
      prometheus.root(), &config_error);
  ASSERT_TRUE(config_error.empty()) << config_error;
  ASSERT_TRUE(prometheus.Start(config)) << prometheus.log();

  // --- the alerts ---------------------------------------------------------
  // First AtmSilent for the silent ATM alone and AtmLowUsage for the low ATM
  // alone, firing (bounded wait). Then they must hold, with nothing else
  // active, for long enough that a healthy ATM whose heartbeats stopped would
  // be down (atm_silence) and its AtmDown past its `for:`.
  std::vector<Alert> alerts;
  std::string alerts_error;
  bool firing = false;
  for (const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
       !firing && std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(std::chrono::milliseconds(500))) {
    alerts = ActiveAlerts(prometheus, &alerts_error);
    firing = ExpectedAlertsFiring(alerts);
  }
  ASSERT_TRUE(firing) << "AtmSilent for " << kSilentAtm << " and AtmLowUsage for " << kLowAtm
                      << " did not both fire, alone, within 90 s; active:\n"
                      << Describe(alerts) << alerts_error << "\nfleet error: " << live.error()
                      << "\n"
                      << prometheus.log();
  ExpectInventoryLabels(alerts);
  std::set<std::string> unexpected = UnexpectedAlerts(alerts);
  int polls_with_expected_firing = 0;
  int polls = 0;
  for (const auto until = std::chrono::steady_clock::now() + kHold;
       std::chrono::steady_clock::now() < until;
       std::this_thread::sleep_for(std::chrono::seconds(1))) {
    alerts = ActiveAlerts(prometheus, &alerts_error);
    ++polls;
    polls_with_expected_firing += ExpectedAlertsFiring(alerts) ? 1 : 0;
    unexpected.merge(UnexpectedAlerts(alerts));
  }
  EXPECT_EQ(polls_with_expected_firing, polls) << "the expected alerts stopped firing; now:\n"
                                               << Describe(alerts) << alerts_error;
  std::string unexpected_text;
  for (const std::string& each : unexpected) unexpected_text += "  " + each + "\n";
  EXPECT_TRUE(unexpected.empty()) << "alerts beyond the scenario's:\n"
                                  << unexpected_text << "fleet error: " << live.error();
  // The healthy ATMs' quiet is not for want of data: Prometheus sees all up.
  const PromQueryResult up = prometheus.Query("atmwatch_atm_up == 1");
  EXPECT_EQ(up.items.size(), std::size(kFleet)) << up.error;

  // --- every query of every dashboard -------------------------------------
  // What Grafana would put in: its intervals for a 1 s scrape interval
  // ($__rate_interval is at least four scrapes), "All" regions (the region
  // variable's allValue) and, for $atm, each ATM of the inventory in turn.
  const std::map<std::string, std::string> values = {
      {"__rate_interval", "20s"}, {"__interval", "5s"}, {"__range", "1h"}, {"region", ".*"}};
  ExpectVariablesAnswer(prometheus, dashboards, values);
  EXPECT_GT(ExpectEveryQueryAnswers(prometheus, dashboards, values), dashboards.queries.size())
      << "no panel uses $atm";

  // --- stop everything, bounded -------------------------------------------
  live.Stop();
  EXPECT_EQ(live.error(), "");
  EXPECT_EQ(live.rejected(), 0u);
  // Each batch JetStream took was applied and acked, once.
  EXPECT_GT(live.published(), 0u);
  const std::string applied_series =
      std::string("atmwatch_jetstream_messages_acked_total{result=\"applied\",subject=\"") +
      kJetStreamSubject + "\"}";
  double applied = -1;
  Eventually(
      [&] {
        applied = SampleValue(HttpGet(daemon.http_base() + "/metrics").body, applied_series);
        return applied == static_cast<double>(live.published());
      },
      std::chrono::seconds(10));
  EXPECT_EQ(applied, static_cast<double>(live.published())) << daemon.log();
  EXPECT_EQ(prometheus.Stop(), 0) << prometheus.log();
  EXPECT_EQ(daemon.Stop(SIGTERM), 0) << daemon.log();
}

}  // namespace
}  // namespace atmwatch::testing
