#include "engine/authorization_health.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "engine_state.pb.h"

namespace atmwatch::engine {
namespace {

constexpr int kApproved = 1;
constexpr int kDeclined = 2;
constexpr int kError = 3;
constexpr int kReversed = 4;

std::map<std::string, AuthorizationOutcomes> OutcomesOf(const AuthorizationHealth& health,
                                                        AtmIndex atm) {
  std::map<std::string, AuthorizationOutcomes> by_issuer;
  health.ForEachIssuer(atm, [&](std::string_view issuer, const AuthorizationOutcomes& outcomes) {
    by_issuer[std::string(issuer)] = outcomes;
  });
  return by_issuer;
}

TEST(AuthorizationHealthTest, SeparatesIssuerErrorsFromDeclines) {
  AuthorizationHealth health;
  health.Count(0, "0005", kApproved);
  health.Count(0, "0005", kApproved);
  health.Count(0, "0005", kDeclined);
  health.Count(0, "0005", kError);
  health.Count(0, "0005", kReversed);  // a correction, not an attempt

  const auto outcomes = OutcomesOf(health, 0).at("0005");
  EXPECT_EQ(outcomes.approved, 2u);
  EXPECT_EQ(outcomes.declined, 1u);
  EXPECT_EQ(outcomes.errors, 1u);
  EXPECT_EQ(outcomes.attempts(), 4u);
}

TEST(AuthorizationHealthTest, IssuersBeyondTheCapShareOtherAndEmptyIsUnknown) {
  AuthorizationHealth health(2);
  health.Count(0, "0001", kApproved);
  health.Count(1, "0002", kError);
  health.Count(0, "0003", kError);  // third distinct issuer: over the cap
  health.Count(1, "0004", kDeclined);
  health.Count(1, "", kApproved);

  const auto atm0 = OutcomesOf(health, 0);
  const auto atm1 = OutcomesOf(health, 1);
  EXPECT_EQ(atm0.size(), 2u);
  EXPECT_EQ(atm0.at("0001").approved, 1u);
  EXPECT_EQ(atm0.at("other").errors, 1u);
  EXPECT_EQ(atm1.at("0002").errors, 1u);
  EXPECT_EQ(atm1.at("other").declined, 1u);
  EXPECT_EQ(atm1.at("unknown").approved, 1u);
  EXPECT_EQ(atm1.count("0003"), 0u);
}

TEST(AuthorizationHealthTest, AtmWithoutWithdrawalsHasNoIssuers) {
  AuthorizationHealth health;
  health.Count(3, "0005", kApproved);
  EXPECT_TRUE(OutcomesOf(health, 0).empty());
  EXPECT_TRUE(OutcomesOf(health, 7).empty());
}

TEST(AuthorizationHealthTest, SnapshotKeepsLabelsAndMovesAtmsToTheirNewIndex) {
  AuthorizationHealth health(1);
  health.Count(0, "0009", kApproved);
  health.Count(1, "0001", kError);  // "other": the cap of one is taken by 0009
  AuthorizationState saved;
  health.Save(&saved, 2);

  AuthorizationHealth restored(1);
  const AtmIndex new_index[] = {1, 0};  // the two ATMs swapped places
  restored.Restore(saved, new_index);
  EXPECT_EQ(OutcomesOf(restored, 1).at("0009").approved, 1u);
  EXPECT_EQ(OutcomesOf(restored, 0).at("other").errors, 1u);
  // The label table came back too: 0009 keeps its slot, a new issuer is "other".
  restored.Count(0, "0009", kDeclined);
  restored.Count(0, "0002", kDeclined);
  EXPECT_EQ(OutcomesOf(restored, 0).at("0009").declined, 1u);
  EXPECT_EQ(OutcomesOf(restored, 0).at("other").declined, 1u);
}

}  // namespace
}  // namespace atmwatch::engine
