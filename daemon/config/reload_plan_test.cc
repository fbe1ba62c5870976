// What a SIGHUP applies and what it keeps until a restart, from the running
// and the fresh config alone.
#include "config/reload_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace atmwatch::config {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> KeysOf(const ReloadPlan& plan) {
  std::vector<std::string> keys;
  for (const KeptUntilRestart& kept : plan.kept) keys.push_back(kept.key);
  return keys;
}

DaemonConfig::Tls TlsFiles(std::string client_ca_file = "") {
  return {.cert_file = "/tls/server.crt",
          .key_file = "/tls/server.key",
          .client_ca_file = std::move(client_ca_file)};
}

struct RestartOnlyCase {
  std::string name;
  std::function<void(DaemonConfig&)> change;
  std::string key;
};

void PrintTo(const RestartOnlyCase& c, std::ostream* os) { *os << c.name; }

class RestartOnlyTest : public ::testing::TestWithParam<RestartOnlyCase> {};

// Each change is warned about under its key, and the running value is kept.
TEST_P(RestartOnlyTest, IsKeptAndWarnedAbout) {
  const DaemonConfig running;
  DaemonConfig fresh;
  GetParam().change(fresh);
  const ReloadPlan plan = PlanReload(running, fresh);
  EXPECT_THAT(KeysOf(plan), ElementsAre(GetParam().key));
  ASSERT_EQ(plan.kept.size(), 1u);
  EXPECT_THAT(plan.kept[0].warning, ::testing::HasSubstr("restart"));
  EXPECT_THAT(KeysOf(PlanReload(running, plan.config)), IsEmpty())
      << "the planned config still differs from the running one";
}

// The section is compared whole: every field counts, and so will one added to
// the struct later.
INSTANTIATE_TEST_SUITE_P(
    JetStreamFields, RestartOnlyTest,
    ::testing::Values(
        RestartOnlyCase{"enabled", [](DaemonConfig& c) { c.jetstream.enabled = true; },
                        "jetstream"},
        RestartOnlyCase{"servers",
                        [](DaemonConfig& c) { c.jetstream.servers = {"nats://10.0.0.1:4222"}; },
                        "jetstream"},
        RestartOnlyCase{"stream", [](DaemonConfig& c) { c.jetstream.stream = "OTHER"; },
                        "jetstream"},
        RestartOnlyCase{"durable", [](DaemonConfig& c) { c.jetstream.durable = "east"; },
                        "jetstream"},
        RestartOnlyCase{"subjects", [](DaemonConfig& c) { c.jetstream.subjects = {"atm.kanto"}; },
                        "jetstream"},
        RestartOnlyCase{"fetch_batch", [](DaemonConfig& c) { c.jetstream.fetch_batch = 8; },
                        "jetstream"},
        RestartOnlyCase{"max_in_flight", [](DaemonConfig& c) { c.jetstream.max_in_flight = 8; },
                        "jetstream"},
        RestartOnlyCase{"ack_wait", [](DaemonConfig& c) { c.jetstream.ack_wait_ms = 1; },
                        "jetstream"},
        RestartOnlyCase{"nak_delay", [](DaemonConfig& c) { c.jetstream.nak_delay_ms = 1; },
                        "jetstream"}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    ListenersAndFiles, RestartOnlyTest,
    ::testing::Values(
        RestartOnlyCase{"ingest_listen", [](DaemonConfig& c) { c.ingest.listen = "0.0.0.0:7420"; },
                        "ingest.listen"},
        RestartOnlyCase{"http_listen", [](DaemonConfig& c) { c.http.listen = "0.0.0.0:9742"; },
                        "http.listen"},
        RestartOnlyCase{"data_dir", [](DaemonConfig& c) { c.data_dir = "/var/lib/other"; },
                        "data_dir"},
        RestartOnlyCase{"wal_fsync", [](DaemonConfig& c) { c.wal.fsync = false; }, "wal"},
        RestartOnlyCase{"wal_segment_bytes", [](DaemonConfig& c) { c.wal.segment_bytes = 1 << 20; },
                        "wal"},
        RestartOnlyCase{"wal_snapshot_interval",
                        [](DaemonConfig& c) { c.wal.snapshot_interval_ms = 1000; }, "wal"},
        RestartOnlyCase{"log_level", [](DaemonConfig& c) { c.log_level = "debug"; }, "log_level"},
        RestartOnlyCase{"timezone",
                        [](DaemonConfig& c) { c.calendar = c.calendar.WithUtcOffset(0min); },
                        "timezone"}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    ConnectionOptions, RestartOnlyTest,
    ::testing::Values(
        RestartOnlyCase{"max_frame_bytes", [](DaemonConfig& c) { c.ingest.max_frame_bytes = 1024; },
                        "ingest.max_frame_bytes"},
        RestartOnlyCase{"max_inflight_batches",
                        [](DaemonConfig& c) { c.ingest.max_inflight_batches = 1; },
                        "ingest.max_inflight_batches"},
        RestartOnlyCase{"max_connections_per_ip",
                        [](DaemonConfig& c) { c.ingest.max_connections_per_ip = 1; },
                        "ingest.max_connections_per_ip"},
        RestartOnlyCase{"idle_timeout", [](DaemonConfig& c) { c.ingest.idle_timeout_ms = 1; },
                        "ingest.idle_timeout"},
        RestartOnlyCase{"frame_timeout", [](DaemonConfig& c) { c.ingest.frame_timeout_ms = 1; },
                        "ingest.frame_timeout"},
        RestartOnlyCase{"write_timeout", [](DaemonConfig& c) { c.ingest.write_timeout_ms = 1; },
                        "ingest.write_timeout"},
        RestartOnlyCase{"https_max_connections",
                        [](DaemonConfig& c) { c.http.tls_limits.max_connections = 1; },
                        "http.tls limits"},
        RestartOnlyCase{"https_handshake_timeout",
                        [](DaemonConfig& c) { c.http.tls_limits.handshake_timeout_ms = 1; },
                        "http.tls limits"},
        RestartOnlyCase{"https_idle_timeout",
                        [](DaemonConfig& c) { c.http.tls_limits.idle_timeout_ms = 1; },
                        "http.tls limits"}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    TlsOnOrOff, RestartOnlyTest,
    ::testing::Values(RestartOnlyCase{"ingest_tls_on",
                                      [](DaemonConfig& c) { c.ingest.tls = TlsFiles(); },
                                      "ingest.tls"},
                      RestartOnlyCase{"http_tls_on",
                                      [](DaemonConfig& c) { c.http.tls = TlsFiles(); },
                                      "http.tls"}),
    [](const auto& info) { return info.param.name; });

TEST(ReloadPlanTest, NothingChangedKeepsNothingAndRereadsNoTlsFiles) {
  const DaemonConfig running;
  const ReloadPlan plan = PlanReload(running, running);
  EXPECT_THAT(plan.kept, IsEmpty());
  EXPECT_FALSE(plan.reread_ingest_tls);
  EXPECT_FALSE(plan.reread_http_tls);
}

TEST(ReloadPlanTest, WarningsKeepTheirWording) {
  DaemonConfig running;
  running.http.tls = TlsFiles();
  DaemonConfig fresh = running;
  fresh.calendar = fresh.calendar.WithUtcOffset(0min);
  fresh.http.tls = {};
  fresh.ingest.listen = "0.0.0.0:7420";
  fresh.jetstream.durable = "east";
  std::vector<std::string> warnings;
  for (const KeptUntilRestart& kept : PlanReload(running, fresh).kept) {
    warnings.push_back(kept.warning);
  }
  EXPECT_THAT(warnings,
              ElementsAre("timezone changes only on restart; keeping the running UTC offset",
                          "turning http.tls or its client certificates on or off needs a restart",
                          "ingest.listen changes only on restart",
                          "the jetstream section changes only on restart"));
}

TEST(ReloadPlanTest, TimezoneKeepsTheRunningOffsetButTakesHolidaysAndFiscalYear) {
  const DaemonConfig running;  // +09:00, fiscal year from April
  DaemonConfig fresh;
  fresh.calendar = engine::Calendar(0min, 1, {std::chrono::year{2010} / 1 / 1});
  const ReloadPlan plan = PlanReload(running, fresh);
  EXPECT_THAT(KeysOf(plan), ElementsAre("timezone"));
  EXPECT_EQ(plan.config.calendar.utc_offset(), running.calendar.utc_offset());
  EXPECT_EQ(plan.config.calendar.fiscal_year_start_month(), 1u);
  EXPECT_TRUE(plan.config.calendar.IsHoliday(std::chrono::year{2010} / 1 / 1));
  EXPECT_EQ(EngineConfigOf(plan.config).calendar.utc_offset(), running.calendar.utc_offset());
}

// Rotating a certificate is replacing its file: the files are read again on
// every reload while TLS stays on, and their new paths are taken.
TEST(ReloadPlanTest, TlsThatStaysOnIsReadAgain) {
  DaemonConfig running;
  running.ingest.tls = TlsFiles("/tls/ca.crt");
  running.http.tls = TlsFiles();
  DaemonConfig fresh = running;
  EXPECT_TRUE(PlanReload(running, fresh).reread_ingest_tls);
  EXPECT_TRUE(PlanReload(running, fresh).reread_http_tls);

  fresh.ingest.tls.cert_file = "/tls/rotated.crt";
  fresh.ingest.tls.client_ca_file = "/tls/new-ca.crt";
  const ReloadPlan plan = PlanReload(running, fresh);
  EXPECT_THAT(plan.kept, IsEmpty());
  EXPECT_TRUE(plan.reread_ingest_tls);
  EXPECT_EQ(plan.config.ingest.tls, fresh.ingest.tls);
}

TEST(ReloadPlanTest, TlsTurnedOnOrOffOrClientCertificatesToggledIsKept) {
  DaemonConfig running;
  running.ingest.tls = TlsFiles();
  running.http.tls = TlsFiles("/tls/ca.crt");
  DaemonConfig fresh = running;
  fresh.ingest.tls.client_ca_file = "/tls/ca.crt";  // client certificates on
  fresh.http.tls = {};                              // TLS off
  const ReloadPlan plan = PlanReload(running, fresh);
  EXPECT_THAT(KeysOf(plan), ElementsAre("ingest.tls", "http.tls"));
  EXPECT_FALSE(plan.reread_ingest_tls);
  EXPECT_FALSE(plan.reread_http_tls);
  EXPECT_EQ(plan.config.ingest.tls, running.ingest.tls);
  EXPECT_EQ(plan.config.http.tls, running.http.tls);
}

TEST(ReloadPlanTest, PlainListenersHaveNoFilesToRead) {
  const ReloadPlan plan = PlanReload(DaemonConfig{}, DaemonConfig{});
  EXPECT_FALSE(plan.reread_ingest_tls);
  EXPECT_FALSE(plan.reread_http_tls);
}

// The engine's share, the ingest limits and the credentials are applied
// without a warning.
TEST(ReloadPlanTest, ReloadableSectionsAreTakenFromTheFreshConfig) {
  const DaemonConfig running;
  DaemonConfig fresh;
  fresh.atms.emplace_back().id = "ATM0001";
  fresh.costs.per_atm_monthly_yen = 600000;
  fresh.lines.max_lines = 10;
  fresh.business_hours = engine::BusinessHours::Daily(0, 23 * 60);
  fresh.atm_silence_ms = 1000;
  fresh.targets.mvno_lines = 100000;
  fresh.ingest.max_event_age_ms = 0;
  fresh.ingest.max_batch_events = 10;
  fresh.ingest.max_string_bytes = 64;
  fresh.ingest.max_unknown_atms = 5;
  fresh.ingest.max_sources = 3;
  fresh.ingest.sources.emplace_back().source_id = "radius-tokyo-1";
  fresh.ingest.require_known_sources = true;
  fresh.http.basic_auth_users = {{"prometheus", "$6$salt$hash"}};
  const ReloadPlan plan = PlanReload(running, fresh);
  EXPECT_THAT(plan.kept, IsEmpty());
  const DaemonConfig& next = plan.config;
  ASSERT_EQ(next.atms.size(), 1u);
  EXPECT_EQ(next.atms[0].id, "ATM0001");
  EXPECT_EQ(next.costs.per_atm_monthly_yen, 600000);
  EXPECT_EQ(next.lines.max_lines, 10u);
  EXPECT_EQ(next.business_hours.On(engine::HoursDay::kWeekday).start_minute, 0);
  EXPECT_EQ(next.atm_silence_ms, 1000);
  EXPECT_EQ(next.targets.mvno_lines, 100000);
  EXPECT_EQ(next.ingest.max_event_age_ms, 0);
  EXPECT_EQ(next.ingest.max_batch_events, 10u);
  EXPECT_EQ(next.ingest.max_string_bytes, 64u);
  EXPECT_EQ(next.ingest.max_unknown_atms, 5u);
  EXPECT_EQ(next.ingest.max_sources, 3u);
  ASSERT_EQ(next.ingest.sources.size(), 1u);
  EXPECT_EQ(next.ingest.sources[0].source_id, "radius-tokyo-1");
  EXPECT_TRUE(next.ingest.require_known_sources);
  EXPECT_EQ(next.http.basic_auth_users, fresh.http.basic_auth_users);
}

TEST(ReloadPlanTest, FeesAreTakenFromTheFreshConfig) {
  DaemonConfig running;
  DaemonConfig fresh;
  ASSERT_TRUE(ParseConfig(R"(
fees:
  bands:
    - {days: all, start: "00:00", end: "24:00", yen: 333}
)",
                          "atmwatch.yaml", &fresh)
                  .ok());
  const ReloadPlan plan = PlanReload(running, fresh);
  EXPECT_THAT(plan.kept, IsEmpty());
  EXPECT_EQ(plan.config.fees.WithdrawalFee("", engine::DayClass::kWeekday, 600), 333);
  EXPECT_NE(running.fees.WithdrawalFee("", engine::DayClass::kWeekday, 600), 333);
}

}  // namespace
}  // namespace atmwatch::config
