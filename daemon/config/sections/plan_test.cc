#include "config/sections/plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;

Status ReadText(const std::string& yaml, engine::Plan* plan) {
  return ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadPlan(fields, root["plan"], plan);
  });
}

TEST(PlanSectionTest, ReadsYearsQuartersWindowCostChangesAndTheLinesTarget) {
  engine::Plan plan;
  const Status status = ReadText(R"(plan:
  fiscal_years:
    FY2011: {operating_income_yen: 100000000}
    FY2010:
      revenue_yen: 720000000
      cost_yen: 880000000
      expenses_yen: 240000000
      atms: 150
      quarters:
        1Q: {revenue_yen: 130000000, atms: 140}
        4Q: {operating_income_yen: -20000000}
  breakeven: {from: 2010-10-01, to: 2011-03-31}
  cost_changes:
    - from: 2010-10-01
      costs: {per_atm_monthly_yen: 450000, fixed_monthly_yen: 20000000}
  mvno_lines: {target: 100000, deadline: 2013-03-31}
  forecast_tolerance: 0.15
)",
                                 &plan);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(plan.fiscal_years.size(), 2u);
  const engine::FiscalYearPlan& fy2010 = plan.fiscal_years[0];  // by year
  EXPECT_EQ(fy2010.fiscal_year, 2010);
  EXPECT_EQ(fy2010.budget.revenue_yen, 720'000'000);
  EXPECT_EQ(fy2010.budget.OperatingIncome(), -400'000'000);
  EXPECT_EQ(fy2010.atms, 150);
  ASSERT_EQ(fy2010.quarters.size(), 2u);
  EXPECT_EQ(fy2010.quarters[0].quarter, 1);
  EXPECT_EQ(fy2010.quarters[0].atms, 140);
  EXPECT_EQ(fy2010.quarters[1].quarter, 4);
  EXPECT_EQ(fy2010.quarters[1].budget.operating_income_yen, -20'000'000);
  EXPECT_EQ(plan.fiscal_years[1].budget.OperatingIncome(), 100'000'000);
  ASSERT_TRUE(plan.breakeven.has_value());
  EXPECT_EQ(plan.breakeven->first, 2010y / October / 1);
  EXPECT_EQ(plan.breakeven->last, 2011y / March / 31);
  ASSERT_EQ(plan.cost_changes.size(), 1u);
  EXPECT_EQ(plan.cost_changes[0].costs.fixed_monthly_yen, 20'000'000);
  ASSERT_TRUE(plan.mvno_lines.has_value());
  EXPECT_EQ(plan.mvno_lines->lines, 100000);
  EXPECT_EQ(plan.mvno_lines->deadline, 2013y / March / 31);
  EXPECT_DOUBLE_EQ(plan.forecast_tolerance, 0.15);
}

TEST(PlanSectionTest, AbsentOrNullIsTheEmptyPlan) {
  engine::Plan plan;
  plan.forecast_tolerance = 0.5;
  ASSERT_TRUE(ReadText("plan:\n", &plan).ok());
  EXPECT_TRUE(plan.fiscal_years.empty());
  EXPECT_FALSE(plan.breakeven.has_value());
  EXPECT_DOUBLE_EQ(plan.forecast_tolerance, 0.1);
}

TEST(PlanSectionTest, MistakesNameKeyAndFixAllAtOnce) {
  engine::Plan plan;
  const std::string errors = ErrorText(ReadText(R"(plan:
  fiscal_years:
    FY10: {revenue_yen: 1}
    FY2010: {revenu_yen: 1, cost_yen: -5, quarters: {5Q: {}}}
  breakeven: {from: 2011-03-31, to: 2010-10-01}
  cost_changes:
    - {from: 2010-10-01, costs: {fixed_monthly_yen: 1}}
    - {from: 2010-04-01, costs: {fixed_monthly_yen: 2}}
  mvno_lines: {target: 100000}
  forecast_tolerance: 10%
)",
                                                &plan));
  EXPECT_THAT(errors, HasSubstr("atmwatch.yaml:3: plan.fiscal_years.FY10: 'FY10' is not a fiscal "
                                "year; write FY and four digits, e.g. FY2008"));
  EXPECT_THAT(errors, HasSubstr("atmwatch.yaml:4: plan.fiscal_years.FY2010.revenu_yen: unknown "
                                "key; did you mean 'revenue_yen'?"));
  EXPECT_THAT(errors, HasSubstr("plan.fiscal_years.FY2010.cost_yen: -5 is out of range"));
  EXPECT_THAT(errors, HasSubstr("plan.fiscal_years.FY2010.quarters.5Q: unknown key"));
  EXPECT_THAT(errors, HasSubstr("atmwatch.yaml:5: plan.breakeven.to: comes before "
                                "plan.breakeven.from; give the later day as to"));
  EXPECT_THAT(errors, HasSubstr("atmwatch.yaml:8: plan.cost_changes[1].from: is not after the "
                                "change before it; list the changes by date"));
  EXPECT_THAT(errors, HasSubstr("atmwatch.yaml:9: plan.mvno_lines: needs target and deadline"));
  EXPECT_THAT(errors, HasSubstr("atmwatch.yaml:10: plan.forecast_tolerance: '10%' is not a share "
                                "from 0 to 1; write e.g. 0.1 for 10%"));
}

TEST(PlanSectionTest, TheSameYearTwiceIsRefused) {
  engine::Plan plan;
  EXPECT_THAT(ErrorText(ReadText("plan:\n  fiscal_years:\n    FY2010: {}\n    2010: {}\n", &plan)),
              HasSubstr("atmwatch.yaml:4: plan.fiscal_years.2010: is planned twice"));
}

}  // namespace
}  // namespace atmwatch::config
