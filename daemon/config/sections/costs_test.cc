#include "config/sections/costs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using engine::CostModel;
using ::testing::AllOf;
using ::testing::HasSubstr;

const FieldReader kFields("atmwatch.yaml");

CostModel ParseOrDie(const std::string& yaml) {
  CostModel model;
  Status status = ReadCosts(kFields, YAML::Load(yaml)["costs"], &model);
  EXPECT_TRUE(status.ok()) << status.message();
  return model;
}

std::string ParseError(const std::string& yaml) {
  CostModel model{.per_atm_monthly_yen = 1};
  Status status = ReadCosts(kFields, YAML::Load(yaml)["costs"], &model);
  EXPECT_FALSE(status.ok()) << "accepted:\n" << yaml;
  EXPECT_EQ(model.per_atm_monthly_yen, 1) << "output touched on error";
  return status.message();
}

TEST(CostModelConfigTest, ReadsEveryKey) {
  CostModel model = ParseOrDie(R"(
costs:
  per_atm_monthly_yen: 600000
  fixed_monthly_yen: 30000000
  per_transaction_yen: 10
)");
  EXPECT_EQ(model.per_atm_monthly_yen, 600'000);
  EXPECT_EQ(model.fixed_monthly_yen, 30'000'000);
  EXPECT_EQ(model.per_transaction_yen, 10);
}

TEST(CostModelConfigTest, AbsentKeysAreZero) {
  CostModel model = ParseOrDie("costs: {fixed_monthly_yen: 100}\n");
  EXPECT_EQ(model.per_atm_monthly_yen, 0);
  EXPECT_EQ(model.fixed_monthly_yen, 100);
  EXPECT_EQ(model.per_transaction_yen, 0);

  CostModel none{.per_atm_monthly_yen = 9};
  ASSERT_TRUE(ReadCosts(kFields, YAML::Load("timezone: Z\n")["costs"], &none).ok());
  EXPECT_EQ(none.per_atm_monthly_yen, 0);
  ASSERT_TRUE(ReadCosts(kFields, YAML::Load("costs:\n")["costs"], &none).ok());
}

TEST(CostModelConfigTest, UnknownKeyIsNamedWithItsLineAndTheKnownKeys) {
  EXPECT_THAT(ParseError("costs:\n  per_atm_monthly_yen: 1\n  monthly_per_atm: 5\n"),
              AllOf(HasSubstr("atmwatch.yaml:3: costs.monthly_per_atm"),
                    HasSubstr("per_atm_monthly_yen, fixed_monthly_yen, per_transaction_yen")));
}

TEST(CostModelConfigTest, NegativeCostIsRefusedWithTheFix) {
  EXPECT_THAT(
      ParseError("costs:\n  per_transaction_yen: -3\n"),
      AllOf(HasSubstr("atmwatch.yaml:2: costs.per_transaction_yen"), HasSubstr("0 or more")));
}

TEST(CostModelConfigTest, NonNumberAndNonMapAreRefused) {
  EXPECT_THAT(ParseError("costs:\n  fixed_monthly_yen: 30M\n"),
              AllOf(HasSubstr("costs.fixed_monthly_yen"), HasSubstr("whole number")));
  EXPECT_THAT(ParseError("costs: [1, 2]\n"), HasSubstr("expected a map"));
}

TEST(CostModelConfigTest, EveryBadCostIsReported) {
  EXPECT_EQ(ParseError("costs:\n  per_atm_monthly_yen: -5\n  fixed_monthly_yen: lots\n"
                       "  per_transaction_yen: -1\n"),
            "atmwatch.yaml:2: costs.per_atm_monthly_yen: -5 is negative; write the cost as 0 or "
            "more whole yen\n"
            "atmwatch.yaml:3: costs.fixed_monthly_yen: 'lots' is not a whole number; write digits, "
            "e.g. 105\n"
            "atmwatch.yaml:4: costs.per_transaction_yen: -1 is negative; write the cost as 0 or "
            "more whole yen");
}

TEST(CostModelConfigTest, ReportsInTheFormatOfTheFile) {
  CostModel model;
  EXPECT_THAT(ErrorText(ReadSectionText("costs:\n  per_atm_monthly_yen: -5\n",
                                        [&](const FieldReader& fields, const YAML::Node& root) {
                                          return ReadCosts(fields, root["costs"], &model);
                                        })),
              HasSubstr("atmwatch.yaml:2: costs.per_atm_monthly_yen: -5 is negative"));
}

}  // namespace
}  // namespace atmwatch::config
