// The plan's metrics from an engine fed a flat quarter of usage and two new
// MVNO lines, against figures worked out by hand.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>

#include "engine/engine.h"
#include "metrics/exposition.h"
#include "metrics/plan_collector.h"

namespace atmwatch::metrics {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kMsPerDay = 86'400'000;
constexpr int64_t kJapanOffsetMs = 9 * 3'600'000;

int64_t LocalMidnightMs(year_month_day date) {
  return sys_days(date).time_since_epoch() / milliseconds(1) - kJapanOffsetMs;
}

v1::Envelope WithdrawalAt(int64_t time_ms) {
  v1::Envelope event;
  event.set_time_unix_ms(time_ms);
  auto* tx = event.mutable_transaction();
  tx->set_atm_id("ATM0001");
  tx->set_type(v1::AtmTransaction::WITHDRAWAL);
  tx->set_result(v1::AtmTransaction::APPROVED);
  tx->set_amount_yen(10'000);
  tx->set_commission_yen(100);
  return event;
}

v1::Envelope AttachAt(const std::string& line, year_month_day date) {
  v1::Envelope event;
  event.set_time_unix_ms(LocalMidnightMs(date) + 12 * 3'600'000);
  auto* attach = event.mutable_line();
  attach->set_line_id(line);
  attach->set_carrier("docomo");
  attach->set_kind(v1::LineEvent::ATTACH);
  return event;
}

// 1,200 yen of costs a day; FY2010's plan: 365,000 yen of revenue and an
// operating loss of 50,000; breakeven in the second half; 4 lines by the
// end of 2010.
engine::EngineConfig PlannedConfig() {
  engine::EngineConfig config;
  config.inventory = {{.id = "ATM0001"}};
  config.costs = {.fixed_monthly_yen = 36'500};
  engine::FiscalYearPlan fy2010;
  fy2010.fiscal_year = 2010;
  fy2010.budget.revenue_yen = 365'000;
  fy2010.budget.operating_income_yen = -50'000;
  config.plan.fiscal_years.push_back(fy2010);
  config.plan.breakeven = engine::DateWindow{2010y / October / 1, 2011y / March / 31};
  config.plan.mvno_lines = engine::MvnoLinesTarget{.lines = 4, .deadline = 2010y / December / 31};
  return config;
}

std::string Scrape(const engine::Engine& engine, int64_t now) {
  PlanCollector plan(engine, [now] { return now; });
  std::string text;
  AppendExposition({}, {&plan}, &text);
  return text;
}

double Value(const std::string& text, const std::string& series) {
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return NAN;
  return std::stod(text.substr(at + series.size() + 2));
}

TEST(PlanMetricsTest, AFlatQuarterLandsTheYearAtItsLevelAndNeverBreaksEven) {
  engine::Engine engine(PlannedConfig());
  // Ten 100-yen withdrawals a day, from 13 weeks before April to June 30.
  const int64_t first = LocalMidnightMs(2010y / April / 1) - 91 * kMsPerDay;
  const int64_t june_30 = LocalMidnightMs(2010y / June / 30);
  for (int64_t day = first; day <= june_30; day += kMsPerDay) {
    for (int n = 0; n < 10; ++n) {
      ASSERT_EQ(engine.Apply(WithdrawalAt(day + (10 + n) * 3'600'000)), std::nullopt);
    }
  }
  ASSERT_EQ(engine.Apply(AttachAt("L1", 2010y / May / 1)), std::nullopt);
  ASSERT_EQ(engine.Apply(AttachAt("L2", 2010y / June / 1)), std::nullopt);

  // Two weeks later the records still end on June 30: that is the as-of day.
  const std::string text = Scrape(engine, LocalMidnightMs(2010y / July / 15) + 3'600'000);
  EXPECT_EQ(Value(text, "atmwatch_plan_as_of_date_seconds"), static_cast<double>(june_30 / 1000));
  EXPECT_EQ(Value(text, "atmwatch_plan_revenue_yen{period=\"FY2010\"}"), 365'000);
  EXPECT_EQ(Value(text, "atmwatch_plan_operating_income_yen{period=\"FY2010\"}"), -50'000);
  EXPECT_THAT(text, Not(HasSubstr("atmwatch_plan_revenue_yen{period=\"1Q10\"}")));
  // 1,000 yen a day in, 1,200 out, every day of the year; the plan names
  // no costs, so the allowed shortfall is 10% of the forecast's.
  EXPECT_EQ(Value(text, "atmwatch_forecast_revenue_yen{period=\"FY2010\"}"), 365'000);
  EXPECT_EQ(Value(text, "atmwatch_forecast_revenue_yen{period=\"1Q10\"}"), 91'000);
  EXPECT_EQ(Value(text, "atmwatch_actual_revenue_yen{period=\"FY2010\"}"), 91'000);
  EXPECT_EQ(Value(text, "atmwatch_actual_operating_income_yen{period=\"1Q10\"}"), 91 * -200);
  EXPECT_THAT(text, Not(HasSubstr("atmwatch_actual_revenue_yen{period=\"2Q10\"}")));
  EXPECT_EQ(Value(text, "atmwatch_forecast_operating_income_yen{period=\"FY2010\"}"), -73'000);
  EXPECT_EQ(Value(text, "atmwatch_forecast_operating_income_low_yen{period=\"FY2010\"}"), -73'000);
  EXPECT_EQ(Value(text, "atmwatch_forecast_operating_income_high_yen{period=\"4Q10\"}"), 90 * -200);
  EXPECT_EQ(Value(text, "atmwatch_plan_shortfall_allowed_yen{period=\"FY2010\"}"), 43'800);
  EXPECT_THAT(text, HasSubstr("\natmwatch_breakeven_plan_slip_seconds +Inf\n"));
  EXPECT_THAT(text, Not(HasSubstr("atmwatch_breakeven_first_month_seconds")));
  // Two lines in the 91 days to June 30, two to go: 91 days more, September
  // 29, 93 days before the deadline.
  EXPECT_EQ(Value(text, "atmwatch_mvno_active_lines_added_91d"), 2);
  EXPECT_EQ(Value(text, "atmwatch_mvno_active_lines_target_projected_date_seconds"),
            static_cast<double>(LocalMidnightMs(2010y / September / 29) / 1000));
  EXPECT_EQ(Value(text, "atmwatch_mvno_active_lines_target_deadline_seconds"),
            static_cast<double>(LocalMidnightMs(2010y / December / 31) / 1000));
  EXPECT_EQ(Value(text, "atmwatch_mvno_active_lines_target_slip_seconds"), -93 * 86'400);
}

TEST(PlanMetricsTest, AMonthThatEarnedItsCostsIsExportedAndSetsTheSlip) {
  engine::EngineConfig config = PlannedConfig();
  config.costs = {.fixed_monthly_yen = 18'250};  // 600 yen a day: every month earns
  engine::Engine engine(config);
  const int64_t april_1 = LocalMidnightMs(2010y / April / 1);
  for (int64_t day = april_1; day < april_1 + 61 * kMsPerDay; day += kMsPerDay) {
    for (int n = 0; n < 10; ++n) engine.Apply(WithdrawalAt(day + (10 + n) * 3'600'000));
  }
  const std::string text = Scrape(engine, april_1 + 70 * kMsPerDay);
  EXPECT_EQ(Value(text, "atmwatch_breakeven_first_month_seconds"),
            static_cast<double>(april_1 / 1000));
  // April 1 against March 31, 2011: 364 days ahead.
  EXPECT_EQ(Value(text, "atmwatch_breakeven_plan_slip_seconds"), -364 * 86'400);
}

TEST(PlanMetricsTest, WithoutRecordsOrPlanNothingIsExported) {
  engine::Engine engine(engine::EngineConfig{});
  EXPECT_EQ(Scrape(engine, LocalMidnightMs(2010y / July / 15)), "");
}

}  // namespace
}  // namespace atmwatch::metrics
