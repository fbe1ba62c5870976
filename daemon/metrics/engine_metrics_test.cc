// The collectors that render the engine at scrape time, checked on the text
// exposition a scrape returns.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>

#include "engine/engine.h"
#include "metrics/atm_collector.h"
#include "metrics/authorization_collector.h"
#include "metrics/business_collector.h"
#include "metrics/exposition.h"

namespace atmwatch::metrics {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;
using ::testing::Not;
using v1::AtmTransaction;

int64_t JapanTime(year_month_day date, int hour, int minute = 0) {
  return (sys_days(date).time_since_epoch() + hours(hour) + minutes(minute) - hours(9)) /
         milliseconds(1);
}

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
  return RenderText({&atms, &authorization, &business});
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

TEST(EngineMetricsTest, AuthorizationHealthSeparatesErrorsFromDeclines) {
  engine::Engine engine(Config());
  ApplyMondays(engine);
  const std::string text = Scrape(engine, JapanTime(kMonday, 12));
  EXPECT_EQ(Value(text, "atmwatch_atm_withdrawals_total{atm_id=\"ATM0002\",issuer=\"0177\"}"), 2);
  EXPECT_EQ(Value(text,
                  "atmwatch_atm_withdrawals_failed_total{atm_id=\"ATM0002\",issuer=\"0177\","
                  "cause=\"issuer_error\"}"),
            1);
  EXPECT_EQ(Value(text,
                  "atmwatch_atm_withdrawals_failed_total{atm_id=\"ATM0002\",issuer=\"0177\","
                  "cause=\"declined\"}"),
            1);
  EXPECT_EQ(Value(text, "atmwatch_atm_withdrawals_total{atm_id=\"ATM0001\",issuer=\"0005\"}"), 17);
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

TEST(EngineMetricsTest, RestoredEngineScrapesTheSameText) {
  engine::Engine original(Config());
  ApplyMondays(original);
  original.Apply(Withdrawal("UNKNOWN7", JapanTime(kMonday, 9), AtmTransaction::REVERSED, ""));

  engine::Engine restored(Config());
  ASSERT_TRUE(restored.RestoreState(original.SerializeState()));
  for (int hour : {9, 12, 23}) {
    const int64_t now = JapanTime(kMonday, hour);
    EXPECT_EQ(Scrape(restored, now), Scrape(original, now)) << "at " << hour << ":00";
  }
}

}  // namespace
}  // namespace atmwatch::metrics
