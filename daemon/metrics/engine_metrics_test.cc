// The collectors that render the engine at scrape time, checked on the text
// exposition a scrape returns.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <initializer_list>
#include <string>
#include <tuple>

#include "engine/engine.h"
#include "engine/event_testing.h"
#include "metrics/atm_collector.h"
#include "metrics/atm_state_collector.h"
#include "metrics/authorization_collector.h"
#include "metrics/business_collector.h"
#include "metrics/cash_collector.h"
#include "metrics/device_collector.h"
#include "metrics/exposition.h"
#include "metrics/mvno_line_collector.h"
#include "metrics/plan_collector.h"

namespace atmwatch::metrics {
namespace {

using namespace std::chrono;
using engine::JapanTime;
using engine::LineEventOf;
using engine::StatusEvent;
using ::testing::HasSubstr;
using ::testing::Not;
using v1::AtmTransaction;

v1::Envelope Withdrawal(const std::string& atm, int64_t time_unix_ms,
                        AtmTransaction::Result result = AtmTransaction::APPROVED,
                        const std::string& issuer = "0005") {
  v1::Envelope event;
  event.set_time_unix_ms(time_unix_ms);
  auto* tx = event.mutable_transaction();
  tx->set_atm_id(atm);
  tx->set_type(AtmTransaction::WITHDRAWAL);
  tx->set_result(result);
  tx->set_amount_yen(10000);
  tx->set_issuer(issuer);
  return event;
}

engine::EngineConfig Config() {
  engine::EngineConfig config;
  config.inventory = {{.id = "ATM0001", .site = "Parlor 1"}, {.id = "ATM0002", .site = "Shop 2"}};
  config.max_unknown_atms = 5;
  config.costs = {.per_atm_monthly_yen = 30'000, .fixed_monthly_yen = 100'000};
  return config;
}

// Every collector the daemon registers for the engine, rendered at `now`.
std::string Scrape(const engine::Engine& engine, int64_t now) {
  const auto clock = [now] { return now; };
  AtmCollector atms(engine, clock);
  AuthorizationCollector authorization(engine);
  BusinessCollector business(engine, clock);
  PlanCollector plan(engine, clock);
  AtmStateCollector atm_states(engine, clock);
  MvnoLineCollector mvno_lines(engine, clock);
  CashCollector cash(engine);
  DeviceCollector devices(engine);
  std::string text;
  AppendExposition(
      {}, {&atms, &authorization, &business, &plan, &atm_states, &mvno_lines, &cash, &devices},
      &text);
  return text;
}

double Value(const std::string& text, const std::string& series) {
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

constexpr year_month_day kMonday = 2010y / April / 5;

// Four weeks of Mondays at ATM0001 (3 transactions by noon, 1 in the evening),
// then the Monday in question with one by 09:00.
void ApplyMondays(engine::Engine& engine) {
  for (int week = 4; week >= 1; --week) {
    const year_month_day date{sys_days(kMonday) - days(7 * week)};
    for (int hour : {9, 10, 11, 20}) engine.Apply(Withdrawal("ATM0001", JapanTime(date, hour)));
  }
  engine.Apply(Withdrawal("ATM0001", JapanTime(kMonday, 8, 30)));
  engine.Apply(Withdrawal("ATM0002", JapanTime(kMonday, 8, 40), AtmTransaction::ERROR, "0177"));
  engine.Apply(Withdrawal("ATM0002", JapanTime(kMonday, 8, 41), AtmTransaction::DECLINED, "0177"));
}

TEST(EngineMetricsTest, TodayAndExpectedTodayFollowTheLocalClock) {
  engine::Engine engine(Config());
  ApplyMondays(engine);

  const std::string noon = Scrape(engine, JapanTime(kMonday, 12));
  EXPECT_EQ(Value(noon, "atmwatch_atm_transactions_today{atm_id=\"ATM0001\"}"), 1);
  // By noon on the four earlier Mondays: 09, 10, 11 o'clock.
  EXPECT_EQ(Value(noon, "atmwatch_atm_expected_transactions_today{atm_id=\"ATM0001\"}"), 3);
  EXPECT_EQ(Value(noon, "atmwatch_atm_last_transaction_timestamp_seconds{atm_id=\"ATM0001\"}"),
            JapanTime(kMonday, 8, 30) / 1000);

  // Local midnight rolls the day over with no event arriving.
  const std::string next_day = Scrape(engine, JapanTime(kMonday, 24, 0));
  EXPECT_EQ(Value(next_day, "atmwatch_atm_transactions_today{atm_id=\"ATM0001\"}"), 0);
  const std::string before_midnight = Scrape(engine, JapanTime(kMonday, 23, 59));
  EXPECT_EQ(Value(before_midnight, "atmwatch_atm_transactions_today{atm_id=\"ATM0001\"}"), 1);
}

TEST(EngineMetricsTest, KeptFiguresOfPastDaysFollowLateTransactions) {
  // One collector scraped again and again, as the daemon's is: what it
  // keeps of past days must follow every change to them.
  engine::Engine engine(Config());
  ApplyMondays(engine);
  int64_t now = JapanTime(kMonday, 12);
  AtmCollector atms(engine, [&now] { return now; });
  const auto scrape = [&] {
    std::string text;
    AppendExposition({}, {&atms}, &text);
    return text;
  };
  const std::string expected = R"(atmwatch_atm_expected_transactions_today{atm_id="ATM0001"})";
  const std::string average = R"(atmwatch_atm_daily_transactions_avg7d{atm_id="ATM0001"})";
  const std::string today = R"(atmwatch_atm_transactions_today{atm_id="ATM0001"})";
  EXPECT_EQ(Value(scrape(), expected), 3);

  // Today's transactions leave the past alone.
  engine.Apply(Withdrawal("ATM0001", JapanTime(kMonday, 11)));
  std::string text = scrape();
  EXPECT_EQ(Value(text, today), 2);
  EXPECT_EQ(Value(text, expected), 3);
  EXPECT_EQ(Value(text, average), 4.0 / 7);

  // Four late ones, one per reference Monday, by noon.
  for (int week = 1; week <= 4; ++week) {
    const year_month_day date{sys_days(kMonday) - days(7 * week)};
    engine.Apply(Withdrawal("ATM0001", JapanTime(date, 10, 30)));
  }
  text = scrape();
  EXPECT_EQ(Value(text, expected), 4);
  EXPECT_EQ(Value(text, average), 5.0 / 7);

  // Tuesday, before any transaction of Tuesday: Monday is the newest day,
  // and one more on it still counts in the week before Tuesday.
  now = JapanTime(kMonday, 24 + 12);
  EXPECT_EQ(Value(scrape(), average), 2.0 / 7);
  engine.Apply(Withdrawal("ATM0001", JapanTime(kMonday, 20)));
  EXPECT_EQ(Value(scrape(), average), 3.0 / 7);
}

TEST(EngineMetricsTest, InventoryAtmsHaveEverySeriesAtZeroFromTheStart) {
  engine::Engine engine(Config());
  const std::string text = Scrape(engine, JapanTime(kMonday, 12));
  for (const char* series :
       {"atmwatch_atm_commission_yen_total{atm_id=\"ATM0002\"}",
        "atmwatch_atm_transactions_today{atm_id=\"ATM0002\"}",
        "atmwatch_atm_expected_transactions_today{atm_id=\"ATM0002\"}",
        "atmwatch_atm_daily_transactions_avg7d{atm_id=\"ATM0002\"}",
        "atmwatch_atm_last_transaction_timestamp_seconds{atm_id=\"ATM0002\"}"}) {
    EXPECT_EQ(Value(text, series), 0) << series;
  }
  EXPECT_EQ(Value(text,
                  "atmwatch_atm_transactions_total{atm_id=\"ATM0002\",type=\"withdrawal\","
                  "result=\"approved\"}"),
            0);
  EXPECT_THAT(text, Not(HasSubstr("NaN")));
}

double IssuerFailed(const std::string& text, const std::string& issuer, const std::string& cause) {
  return Value(text, "atmwatch_issuer_withdrawals_failed_total{issuer=\"" + issuer + "\",cause=\"" +
                         cause + "\"}");
}

double AtmFailed(const std::string& text, const std::string& atm, const std::string& cause) {
  return Value(text, "atmwatch_atm_withdrawals_failed_total{atm_id=\"" + atm + "\",cause=\"" +
                         cause + "\"}");
}

TEST(EngineMetricsTest, AuthorizationHealthSeparatesErrorsFromDeclines) {
  engine::Engine engine(Config());
  ApplyMondays(engine);
  const std::string text = Scrape(engine, JapanTime(kMonday, 12));
  EXPECT_EQ(Value(text, "atmwatch_issuer_withdrawals_total{issuer=\"0177\"}"), 2);
  EXPECT_EQ(IssuerFailed(text, "0177", "issuer_error"), 1);
  EXPECT_EQ(IssuerFailed(text, "0177", "declined"), 1);
  EXPECT_EQ(Value(text, "atmwatch_issuer_withdrawals_total{issuer=\"0005\"}"), 17);
  EXPECT_EQ(AtmFailed(text, "ATM0002", "issuer_error"), 1);
  EXPECT_EQ(AtmFailed(text, "ATM0002", "declined"), 1);
  // Both causes from the first withdrawal on, so that rate() sees the first failure.
  EXPECT_EQ(AtmFailed(text, "ATM0001", "issuer_error"), 0);
  EXPECT_EQ(AtmFailed(text, "ATM0001", "declined"), 0);
}

TEST(EngineMetricsTest, AuthorizationHealthSumsIssuersOverAtmsAndAtmsOverIssuers) {
  engine::Engine engine(Config());
  const int64_t time = JapanTime(kMonday, 10);
  for (const auto& [atm, issuer, result] :
       std::initializer_list<std::tuple<const char*, const char*, AtmTransaction::Result>>{
           {"ATM0001", "0005", AtmTransaction::APPROVED},
           {"ATM0001", "0005", AtmTransaction::ERROR},
           {"ATM0001", "0005", AtmTransaction::REVERSED},
           {"ATM0001", "0009", AtmTransaction::ERROR},
           {"ATM0001", "0009", AtmTransaction::DECLINED},
           {"ATM0002", "0005", AtmTransaction::ERROR},
           {"ATM0002", "0005", AtmTransaction::DECLINED},
           {"ATM0002", "0009", AtmTransaction::APPROVED}}) {
    engine.Apply(Withdrawal(atm, time, result, issuer));
  }
  const std::string text = Scrape(engine, JapanTime(kMonday, 12));

  // Issuers over the fleet; a reversal is no attempt.
  EXPECT_EQ(Value(text, "atmwatch_issuer_withdrawals_total{issuer=\"0005\"}"), 4);
  EXPECT_EQ(IssuerFailed(text, "0005", "issuer_error"), 2);
  EXPECT_EQ(IssuerFailed(text, "0005", "declined"), 1);
  EXPECT_EQ(Value(text, "atmwatch_issuer_withdrawals_total{issuer=\"0009\"}"), 3);
  EXPECT_EQ(IssuerFailed(text, "0009", "issuer_error"), 1);
  EXPECT_EQ(IssuerFailed(text, "0009", "declined"), 1);

  // ATMs over their issuers.
  EXPECT_EQ(AtmFailed(text, "ATM0001", "issuer_error"), 2);
  EXPECT_EQ(AtmFailed(text, "ATM0001", "declined"), 1);
  EXPECT_EQ(AtmFailed(text, "ATM0002", "issuer_error"), 1);
  EXPECT_EQ(AtmFailed(text, "ATM0002", "declined"), 1);
  EXPECT_THAT(text, Not(HasSubstr("\",issuer=")));  // no series of an ATM and an issuer

  // An ATM's attempts are its withdrawals but the reversed ones.
  double attempts = 0;
  for (const char* result : {"approved", "declined", "error"}) {
    attempts += Value(text, std::string("atmwatch_atm_transactions_total{atm_id=\"ATM0001\","
                                        "type=\"withdrawal\",result=\"") +
                                result + "\"}");
  }
  EXPECT_EQ(attempts, 4);
}

TEST(EngineMetricsTest, BusinessFiguresAreExportedWithoutNaN) {
  engine::Engine engine(Config());
  ApplyMondays(engine);
  const std::string text = Scrape(engine, JapanTime(kMonday, 12));
  // Today: ATM0001 earned 210 (08:30 is before the 08:45 daytime band); both
  // ATMs are in service; the model costs (2 x 30,000 + 100,000) x 12 / 365 a day.
  const double day_costs = std::round(30'000.0 * 2 * 12 / 365) + std::round(100'000.0 * 12 / 365);
  EXPECT_NEAR(Value(text, "atmwatch_breakeven_progress_ratio{window=\"day\"}"), 210 / day_costs,
              1e-9);
  EXPECT_GT(Value(text, "atmwatch_breakeven_transactions_per_atm_day"), 0);
  EXPECT_LT(Value(text, "atmwatch_operating_income_yen{period=\"quarter\"}"), 0);
  EXPECT_THAT(text, HasSubstr("atmwatch_breakeven_projection_within_horizon "));
  EXPECT_THAT(text, Not(HasSubstr("NaN")));
}

// ATM0001 on line L1 (bound); L9 is some other line of the MVNO.
engine::EngineConfig LineConfig() {
  engine::EngineConfig config = Config();
  config.inventory[0].line_id = "L1";
  config.inventory[0].carrier = "docomo";
  return config;
}

void ApplyLines(engine::Engine& engine) {
  const int64_t t = JapanTime(kMonday, 11);
  engine.Apply(LineEventOf("L1", t, v1::LineEvent::SESSION_START, "s1"));
  v1::Envelope interim =
      LineEventOf("L1", t + 60'000, v1::LineEvent::SESSION_INTERIM, "s1", 1000, 200);
  interim.mutable_line()->set_signal_dbm(-89);
  engine.Apply(interim);
  engine.Apply(LineEventOf("L9", t, v1::LineEvent::SESSION_START, "s9", 0, 0));
  v1::Envelope stop = LineEventOf("L9", t + 60'000, v1::LineEvent::SESSION_STOP, "s9", 5, 6);
  stop.mutable_line()->set_terminate_cause("Idle-Timeout");
  engine.Apply(stop);
  engine.Apply(StatusEvent("ATM0001", t + 60'000, v1::AtmStatus::IN_SERVICE));
  engine.Apply(StatusEvent("ATM0002", t, v1::AtmStatus::MAINTENANCE));
}

TEST(EngineMetricsTest, LinesAndAtmStatesAreExported) {
  engine::Engine engine(LineConfig());
  ApplyLines(engine);
  const int64_t t = JapanTime(kMonday, 11);
  const std::string text = Scrape(engine, t + 2 * 60'000);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_line_up{line_id="L1"})"), 1);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_line_flaps_total{line_id="L1"})"), 0);
  // Per-line series for bound lines only.
  EXPECT_THAT(text, Not(HasSubstr("L9")));
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_lines{carrier="docomo",state="in_session"})"), 1);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_lines{carrier="docomo",state="attached"})"), 1);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_lines{carrier="docomo",state="detached"})"), 0);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_bytes_total{carrier="docomo",direction="in"})"), 1005);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_bytes_total{carrier="docomo",direction="out"})"), 206);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_sessions_total{carrier="docomo",event="started"})"), 2);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_sessions_total{carrier="docomo",event="stopped"})"), 1);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_stale_sessions{carrier="docomo"})"), 0);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_line_signal_dbm{line_id="L1"})"), -89);
  EXPECT_EQ(
      Value(text, R"(atmwatch_mvno_session_ends_total{carrier="docomo",cause="idle_timeout"})"), 1);
  EXPECT_THAT(text, Not(HasSubstr("atmwatch_mvno_active_lines_target")));

  EXPECT_EQ(Value(text, R"(atmwatch_atm_up{atm_id="ATM0001"})"), 1);
  EXPECT_EQ(Value(text, R"(atmwatch_atm_up{atm_id="ATM0002"})"), 0);
  EXPECT_EQ(Value(text, R"(atmwatch_atm_state{atm_id="ATM0002",state="maintenance"})"), 1);
  EXPECT_EQ(Value(text, R"(atmwatch_atm_state{atm_id="ATM0002",state="in_service"})"), 0);
  EXPECT_EQ(Value(text, R"(atmwatch_atm_state_since_timestamp_seconds{atm_id="ATM0002"})"),
            t / 1000);
  EXPECT_EQ(Value(text, R"(atmwatch_atms{state="maintenance"})"), 1);
  EXPECT_EQ(Value(text, R"(atmwatch_atms{state="in_service"})"), 1);
  EXPECT_EQ(Value(text, R"(atmwatch_atm_business_open{atm_id="ATM0001"})"), 1);
  EXPECT_EQ(Value(text, R"(atmwatch_atm_business_seconds_today{atm_id="ATM0001"})"), 3600 + 120);
  EXPECT_EQ(Value(text, R"(atmwatch_atm_available_seconds_today{atm_id="ATM0001"})"), 60);
  // Since each ATM's first event at 11:00: ATM0001 was first heard from at
  // 11:01, ATM0002 is in maintenance (no hardware) with no line (comms while heard from).
  EXPECT_EQ(Value(text, R"(atmwatch_atm_business_seconds_total{atm_id="ATM0001"})"), 120);
  EXPECT_EQ(
      Value(text,
            R"(atmwatch_atm_available_seconds_total{atm_id="ATM0001",availability="hardware"})"),
      120);
  EXPECT_EQ(
      Value(text, R"(atmwatch_atm_available_seconds_total{atm_id="ATM0001",availability="comms"})"),
      120);
  EXPECT_EQ(
      Value(text,
            R"(atmwatch_atm_available_seconds_total{atm_id="ATM0001",availability="cardholder"})"),
      60);
  EXPECT_EQ(Value(text, R"(atmwatch_atm_business_seconds_total{atm_id="ATM0002"})"), 120);
  EXPECT_EQ(
      Value(text,
            R"(atmwatch_atm_available_seconds_total{atm_id="ATM0002",availability="hardware"})"),
      0);
  EXPECT_EQ(
      Value(text, R"(atmwatch_atm_available_seconds_total{atm_id="ATM0002",availability="comms"})"),
      120);
  EXPECT_EQ(
      Value(text,
            R"(atmwatch_atm_available_seconds_total{atm_id="ATM0002",availability="cardholder"})"),
      0);

  // Ten minutes later nothing came: the session is stale, line and ATM down.
  const std::string later = Scrape(engine, t + 12 * 60'000);
  EXPECT_EQ(Value(later, R"(atmwatch_mvno_stale_sessions{carrier="docomo"})"), 1);
  EXPECT_EQ(Value(later, R"(atmwatch_mvno_line_up{line_id="L1"})"), 0);
  EXPECT_EQ(Value(later, R"(atmwatch_atm_up{atm_id="ATM0001"})"), 0);
  EXPECT_EQ(Value(Scrape(engine, JapanTime(kMonday, 23, 30)),
                  R"(atmwatch_atm_business_open{atm_id="ATM0001"})"),
            0);

  engine::EngineConfig with_target = LineConfig();
  with_target.mvno_lines_target = 100000;
  engine.Reconfigure(with_target);
  EXPECT_EQ(Value(Scrape(engine, t), "atmwatch_mvno_active_lines_target"), 100000);
}

// A status inside the open stretch an earlier scrape counted as available
// shortens it; the exported counter holds still instead of going back.
TEST(EngineMetricsTest, AvailableSecondsNeverGoBack) {
  engine::Engine engine(Config());
  const int64_t t = JapanTime(kMonday, 11);
  int64_t now = t + 4 * 60'000;
  AtmStateCollector collector(engine, [&now] { return now; });
  const auto scrape = [&] {
    std::string text;
    AppendExposition({}, {&collector}, &text);
    return text;
  };
  const std::string cardholder =
      R"(atmwatch_atm_available_seconds_total{atm_id="ATM0001",availability="cardholder"})";
  engine.Apply(StatusEvent("ATM0001", t, v1::AtmStatus::IN_SERVICE));
  EXPECT_EQ(Value(scrape(), cardholder), 240);
  engine.Apply(StatusEvent("ATM0001", t + 2 * 60'000, v1::AtmStatus::OUT_OF_SERVICE));
  EXPECT_EQ(Value(Scrape(engine, now), cardholder), 120);  // what the engine counts now
  EXPECT_EQ(Value(scrape(), cardholder), 240);
  now = t + 10 * 60'000;
  EXPECT_EQ(Value(scrape(), cardholder), 240);
  EXPECT_EQ(Value(scrape(), R"(atmwatch_atm_business_seconds_total{atm_id="ATM0001"})"), 600);
}

// An Accounting-Stop leaves the line attached but without a data session:
// down. Its cause is counted, the last signal reading stays exported.
TEST(EngineMetricsTest, StoppedLineIsDownWithItsCauseAndSignal) {
  engine::Engine engine(LineConfig());
  const int64_t t = JapanTime(kMonday, 11);
  engine.Apply(LineEventOf("L1", t, v1::LineEvent::SESSION_START, "s1"));
  engine.Apply(StatusEvent("ATM0001", t, v1::AtmStatus::IN_SERVICE));
  std::string text = Scrape(engine, t + 1000);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_line_up{line_id="L1"})"), 1);
  EXPECT_EQ(Value(text, R"(atmwatch_atm_up{atm_id="ATM0001"})"), 1);
  EXPECT_THAT(text, Not(HasSubstr("atmwatch_mvno_line_signal_dbm")));

  v1::Envelope interim = LineEventOf("L1", t + 60'000, v1::LineEvent::SESSION_INTERIM, "s1");
  interim.mutable_line()->set_signal_dbm(-103);
  engine.Apply(interim);
  v1::Envelope stop = LineEventOf("L1", t + 120'000, v1::LineEvent::SESSION_STOP, "s1");
  stop.mutable_line()->set_terminate_cause("Lost-Carrier");
  engine.Apply(stop);
  // L9 is not bound: counted by its carrier, no per-line series.
  v1::Envelope other = LineEventOf("L9", t, v1::LineEvent::SESSION_INTERIM, "s9");
  other.mutable_line()->set_signal_dbm(-70);
  engine.Apply(other);

  text = Scrape(engine, t + 121'000);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_line_up{line_id="L1"})"), 0);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_lines{carrier="docomo",state="attached"})"), 1);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_line_signal_dbm{line_id="L1"})"), -103);
  EXPECT_THAT(text, Not(HasSubstr("L9")));
  EXPECT_EQ(
      Value(text, R"(atmwatch_mvno_session_ends_total{carrier="docomo",cause="lost_carrier"})"), 1);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_session_ends_total{carrier="docomo",cause="unknown"})"),
            0);
  EXPECT_EQ(Value(text, R"(atmwatch_atm_up{atm_id="ATM0001"})"), 0);

  engine.Apply(LineEventOf("L1", t + 180'000, v1::LineEvent::SESSION_START, "s2"));
  EXPECT_EQ(Value(Scrape(engine, t + 181'000), R"(atmwatch_mvno_line_up{line_id="L1"})"), 1);
}

TEST(EngineMetricsTest, BoundLinesAreExportedOnceEachInLineIdOrder) {
  engine::EngineConfig config = Config();
  config.inventory.push_back({.id = "ATM0003", .site = "Parlor 3"});
  config.inventory[0].line_id = "L2";
  config.inventory[1].line_id = "L1";
  config.inventory[2].line_id = "L2";  // two ATMs behind one router
  engine::Engine engine(config);
  const std::string text = Scrape(engine, JapanTime(kMonday, 11));
  const auto l1 = text.find(R"(atmwatch_mvno_line_up{line_id="L1"} 0)");
  const auto l2 = text.find(R"(atmwatch_mvno_line_up{line_id="L2"} 0)");
  ASSERT_NE(l1, std::string::npos);
  ASSERT_NE(l2, std::string::npos);
  EXPECT_LT(l1, l2);
  EXPECT_EQ(text.find(R"(atmwatch_mvno_line_up{line_id="L2"})", l2 + 1), std::string::npos);
  EXPECT_EQ(Value(text, R"(atmwatch_mvno_line_flaps_total{line_id="L2"})"), 0);
}

v1::Envelope Cash(const std::string& atm, int64_t time_unix_ms, v1::CashEvent::Kind kind,
                  int denomination, int notes, int64_t cost_yen = 0) {
  v1::Envelope event;
  event.set_time_unix_ms(time_unix_ms);
  auto* cash = event.mutable_cash();
  cash->set_atm_id(atm);
  cash->set_kind(kind);
  auto* cassette = cash->add_cassettes();
  cassette->set_denomination_yen(denomination);
  cassette->set_notes(notes);
  cash->set_cost_yen(cost_yen);
  return event;
}

// A replenishment, then ATM0001's withdrawals of the Monday and a count one
// 10000 note short of the computed position.
void ApplyCash(engine::Engine& engine) {
  engine.Apply(
      Cash("ATM0001", JapanTime(kMonday, 8), v1::CashEvent::REPLENISHMENT, 10000, 500, 16000));
  ApplyMondays(engine);
  engine.Apply(Cash("ATM0001", JapanTime(kMonday, 9), v1::CashEvent::COUNT, 10000, 498));
}

TEST(EngineMetricsTest, CashPositionAndCountersOfAtmsWithCashEvents) {
  engine::Engine engine(Config());
  EXPECT_THAT(Scrape(engine, JapanTime(kMonday, 12)), Not(HasSubstr("atmwatch_atm_cash_")));
  ApplyCash(engine);
  const std::string text = Scrape(engine, JapanTime(kMonday, 12));
  // 500 notes loaded at 08:00, one 10000 withdrawal at 08:30 (the earlier
  // Mondays are late), a count of 498 at 09:00: the device is right.
  EXPECT_EQ(Value(text, "atmwatch_atm_cash_remaining_yen{atm_id=\"ATM0001\"}"), 4'980'000);
  EXPECT_EQ(Value(text, "atmwatch_atm_cash_dispensed_yen_total{atm_id=\"ATM0001\"}"), 10000);
  EXPECT_EQ(Value(text, "atmwatch_atm_cash_replenishments_total{atm_id=\"ATM0001\"}"), 1);
  EXPECT_EQ(Value(text, "atmwatch_atm_cash_in_transit_cost_yen_total{atm_id=\"ATM0001\"}"), 16000);
  EXPECT_EQ(Value(text, "atmwatch_atm_cash_discrepancies_total{atm_id=\"ATM0001\"}"), 1);
  EXPECT_EQ(Value(text, "atmwatch_atm_cash_discrepancy_yen_total{atm_id=\"ATM0001\"}"), 10000);
  EXPECT_EQ(Value(text, "atmwatch_atm_cash_late_events_total{atm_id=\"ATM0001\"}"), 16);
  // ATM0002 had no cash event: no series.
  EXPECT_THAT(text, Not(HasSubstr("atmwatch_atm_cash_remaining_yen{atm_id=\"ATM0002\"}")));
}

v1::Envelope Component(const std::string& atm, int64_t time_unix_ms,
                       v1::AtmStatus::Component::Kind kind,
                       v1::AtmStatus::Component::Severity severity, uint32_t cassette = 0) {
  v1::Envelope event;
  event.set_time_unix_ms(time_unix_ms);
  event.mutable_status()->set_atm_id(atm);
  auto* component = event.mutable_status()->add_components();
  component->set_kind(kind);
  component->set_severity(severity);
  component->set_cassette(cassette);
  return event;
}

v1::Envelope CardRetained(const std::string& atm, int64_t time_unix_ms,
                          v1::CardRetained::Reason reason) {
  v1::Envelope event;
  event.set_time_unix_ms(time_unix_ms);
  event.mutable_card_retained()->set_atm_id(atm);
  event.mutable_card_retained()->set_reason(reason);
  return event;
}

// ATM0001's dispenser fails at 09:00 with cassette 3 low; ATM0002 keeps a card.
void ApplyDevices(engine::Engine& engine) {
  using C = v1::AtmStatus::Component;
  engine.Apply(Component("ATM0001", JapanTime(kMonday, 8), C::DISPENSER, C::OK));
  engine.Apply(Component("ATM0001", JapanTime(kMonday, 9), C::DISPENSER, C::FATAL));
  engine.Apply(Component("ATM0001", JapanTime(kMonday, 9), C::CASSETTE, C::WARNING, 3));
  engine.Apply(CardRetained("ATM0002", JapanTime(kMonday, 9), v1::CardRetained::HOST_ORDER));
}

TEST(EngineMetricsTest, ComponentStatusOfReportedComponentsAndCardsRetained) {
  engine::Engine engine(Config());
  EXPECT_THAT(Scrape(engine, JapanTime(kMonday, 12)), Not(HasSubstr("atmwatch_atm_component")));
  engine.Apply(Withdrawal("ATM0001", JapanTime(kMonday, 8, 59)));
  EXPECT_EQ(Value(Scrape(engine, JapanTime(kMonday, 9)), "atmwatch_atm_up{atm_id=\"ATM0001\"}"), 1);
  ApplyDevices(engine);
  const std::string text = Scrape(engine, JapanTime(kMonday, 9, 1));
  EXPECT_EQ(Value(text, R"(atmwatch_atm_component_status{atm_id="ATM0001",component="dispenser"})"),
            2);
  EXPECT_EQ(
      Value(text, R"(atmwatch_atm_component_status{atm_id="ATM0001",component="cassette_3"})"), 1);
  EXPECT_EQ(
      Value(
          text,
          R"(atmwatch_atm_component_status_since_timestamp_seconds{atm_id="ATM0001",component="dispenser"})"),
      JapanTime(kMonday, 9) / 1000);
  // Never reported: no series, not a fatal one.
  EXPECT_THAT(text, Not(HasSubstr(R"(component="card_reader")")));
  EXPECT_THAT(text, Not(HasSubstr(R"(atmwatch_atm_component_status{atm_id="ATM0002")")));
  EXPECT_EQ(
      Value(text, R"(atmwatch_atm_cards_retained_total{atm_id="ATM0002",reason="host_order"})"), 1);
  EXPECT_EQ(
      Value(text,
            R"(atmwatch_atm_cards_retained_total{atm_id="ATM0002",reason="customer_timeout"})"),
      0);
  EXPECT_EQ(
      Value(text, R"(atmwatch_atm_cards_retained_total{atm_id="ATM0001",reason="device_fault"})"),
      0);
  // The fatal dispenser makes withdrawals impossible: down.
  EXPECT_EQ(Value(text, "atmwatch_atm_up{atm_id=\"ATM0001\"}"), 0);
}

TEST(EngineMetricsTest, RestoredEngineScrapesTheSameText) {
  engine::Engine original(LineConfig());
  ApplyCash(original);
  ApplyDevices(original);
  ApplyLines(original);
  original.Apply(Withdrawal("UNKNOWN7", JapanTime(kMonday, 9), AtmTransaction::REVERSED, ""));

  engine::Engine restored(LineConfig());
  ASSERT_TRUE(restored.RestoreState(original.SerializeState()));
  for (int hour : {9, 11, 12, 23}) {
    const int64_t now = JapanTime(kMonday, hour);
    EXPECT_EQ(Scrape(restored, now), Scrape(original, now)) << "at " << hour << ":00";
  }
}

}  // namespace
}  // namespace atmwatch::metrics
