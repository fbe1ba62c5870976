#include "engine/device_health.h"

#include <gtest/gtest.h>

#include <initializer_list>

#include "engine_state.pb.h"

namespace atmwatch::engine {
namespace {

using ProtoComponent = v1::AtmStatus::Component;

constexpr int64_t kT = 1700000000000;
constexpr int64_t kMinute = 60 * 1000;

struct Reported {
  ProtoComponent::Kind kind;
  ProtoComponent::Severity severity;
  uint32_t cassette = 0;
  const char* code = "";
};

v1::AtmStatus Components(std::initializer_list<Reported> components) {
  v1::AtmStatus status;
  status.set_atm_id("ATM0001");
  for (const Reported& r : components) {
    auto* c = status.add_components();
    c->set_kind(r.kind);
    c->set_severity(r.severity);
    c->set_cassette(r.cassette);
    c->set_code(r.code);
  }
  return status;
}

Component Cassette(int n) {
  return static_cast<Component>(static_cast<int>(Component::kCassette1) + n - 1);
}

TEST(DeviceHealthTest, NeverReportedIsUnknownAndServes) {
  DeviceHealth health;
  EXPECT_FALSE(health.reported());
  EXPECT_FALSE(health.active());
  EXPECT_EQ(health.severity(Component::kDispenser), Severity::kUnknown);
  EXPECT_EQ(health.since_unix_ms(Component::kDispenser), 0);
  EXPECT_TRUE(health.CanDispense());
  EXPECT_FALSE(health.HardwareFaulted());
  EXPECT_TRUE(health.ServesWithdrawals());
}

TEST(DeviceHealthTest, ReportedComponentsOnlyTheOthersStayUnknown) {
  DeviceHealth health;
  health.Apply(Components({{ProtoComponent::CARD_READER, ProtoComponent::WARNING, 0, "E12"}}), kT);
  EXPECT_TRUE(health.reported());
  EXPECT_EQ(health.severity(Component::kCardReader), Severity::kWarning);
  EXPECT_EQ(health.since_unix_ms(Component::kCardReader), kT);
  EXPECT_EQ(health.code(Component::kCardReader), "E12");
  EXPECT_EQ(health.severity(Component::kDispenser), Severity::kUnknown);
  EXPECT_EQ(health.severity(Cassette(1)), Severity::kUnknown);
  EXPECT_TRUE(health.ServesWithdrawals());
}

TEST(DeviceHealthTest, OlderReportIgnoredSameSeverityKeepsSince) {
  DeviceHealth health;
  health.Apply(Components({{ProtoComponent::DISPENSER, ProtoComponent::FATAL, 0, "-1306"}}),
               kT + 10 * kMinute);
  health.Apply(Components({{ProtoComponent::DISPENSER, ProtoComponent::OK}}), kT);
  EXPECT_EQ(health.severity(Component::kDispenser), Severity::kFatal);
  EXPECT_EQ(health.code(Component::kDispenser), "-1306");
  health.Apply(Components({{ProtoComponent::DISPENSER, ProtoComponent::FATAL, 0, "-1307"}}),
               kT + 20 * kMinute);
  EXPECT_EQ(health.since_unix_ms(Component::kDispenser), kT + 10 * kMinute);
  EXPECT_EQ(health.code(Component::kDispenser), "-1307");
  health.Apply(Components({{ProtoComponent::DISPENSER, ProtoComponent::OK}}), kT + 30 * kMinute);
  EXPECT_EQ(health.severity(Component::kDispenser), Severity::kOk);
  EXPECT_EQ(health.since_unix_ms(Component::kDispenser), kT + 30 * kMinute);
  EXPECT_EQ(health.code(Component::kDispenser), "");
}

// Each component has its own order: an old report of one does not hide a
// newer report of another.
TEST(DeviceHealthTest, OrderIsPerComponent) {
  DeviceHealth health;
  health.Apply(Components({{ProtoComponent::EPP, ProtoComponent::OK}}), kT + kMinute);
  health.Apply(Components({{ProtoComponent::EPP, ProtoComponent::FATAL},
                           {ProtoComponent::CARD_READER, ProtoComponent::FATAL}}),
               kT);
  EXPECT_EQ(health.severity(Component::kEpp), Severity::kOk);
  EXPECT_EQ(health.severity(Component::kCardReader), Severity::kFatal);
  EXPECT_TRUE(health.HardwareFaulted());
}

TEST(DeviceHealthTest, WithdrawalsNeedDispenserCardReaderAndPinPad) {
  for (auto kind : {ProtoComponent::DISPENSER, ProtoComponent::CARD_READER, ProtoComponent::EPP}) {
    DeviceHealth health;
    health.Apply(Components({{kind, ProtoComponent::FATAL}}), kT);
    EXPECT_TRUE(health.HardwareFaulted()) << kind;
    EXPECT_FALSE(health.ServesWithdrawals()) << kind;
    EXPECT_EQ(health.CanDispense(), kind != ProtoComponent::DISPENSER) << kind;
  }
  // No receipt, no deposits: still withdrawals.
  DeviceHealth health;
  health.Apply(Components({{ProtoComponent::RECEIPT_PRINTER, ProtoComponent::FATAL},
                           {ProtoComponent::DEPOSITORY, ProtoComponent::FATAL},
                           {ProtoComponent::DISPENSER, ProtoComponent::WARNING}}),
               kT);
  EXPECT_FALSE(health.HardwareFaulted());
  EXPECT_TRUE(health.CanDispense());
  EXPECT_TRUE(health.ServesWithdrawals());
}

TEST(DeviceHealthTest, DispensesWhileOneReportedCassetteWorks) {
  DeviceHealth health;
  health.Apply(Components({{ProtoComponent::CASSETTE, ProtoComponent::FATAL, 1},
                           {ProtoComponent::CASSETTE, ProtoComponent::WARNING, 8}}),
               kT);
  EXPECT_TRUE(health.CanDispense());
  health.Apply(Components({{ProtoComponent::CASSETTE, ProtoComponent::FATAL, 8}}), kT + kMinute);
  EXPECT_FALSE(health.CanDispense());
  EXPECT_FALSE(health.HardwareFaulted());
  EXPECT_FALSE(health.ServesWithdrawals());
  EXPECT_EQ(health.severity(Cassette(8)), Severity::kFatal);
  EXPECT_EQ(health.severity(Cassette(2)), Severity::kUnknown);
  health.Apply(Components({{ProtoComponent::CASSETTE, ProtoComponent::OK, 3}}), kT + 2 * kMinute);
  EXPECT_TRUE(health.CanDispense());
}

TEST(DeviceHealthTest, LongCodeKeepsItsFirstBytesWithoutCuttingACharacter) {
  DeviceHealth health;
  health.Apply(Components({{ProtoComponent::EPP, ProtoComponent::WARNING, 0, "ABCDEFGHIJ"}}), kT);
  EXPECT_EQ(health.code(Component::kEpp), "ABCDEFGH");
  // "ABCDEFG" and the first byte of "é" would be 8 bytes.
  health.Apply(Components({{ProtoComponent::EPP, ProtoComponent::WARNING, 0, "ABCDEFG\xc3\xa9"}}),
               kT + 1);
  EXPECT_EQ(health.code(Component::kEpp), "ABCDEFG");
}

TEST(DeviceHealthTest, CardsRetainedByReason) {
  DeviceHealth health;
  health.CountRetained(v1::CardRetained::CUSTOMER_TIMEOUT);
  health.CountRetained(v1::CardRetained::DEVICE_FAULT);
  health.CountRetained(v1::CardRetained::DEVICE_FAULT);
  EXPECT_TRUE(health.active());
  EXPECT_FALSE(health.reported());
  EXPECT_EQ(health.cards_retained(0), 1u);
  EXPECT_EQ(health.cards_retained(1), 0u);
  EXPECT_EQ(health.cards_retained(2), 2u);
  EXPECT_EQ(RetainReasonName(2), "device_fault");
}

TEST(DeviceHealthTest, NamesAreBoundedLabels) {
  EXPECT_EQ(ComponentName(Component::kDispenser), "dispenser");
  EXPECT_EQ(ComponentName(Component::kEpp), "epp");
  EXPECT_EQ(ComponentName(Cassette(1)), "cassette_1");
  EXPECT_EQ(ComponentName(Cassette(8)), "cassette_8");
}

TEST(DeviceHealthTest, SaveRestoreRoundTrip) {
  DeviceHealth health;
  health.Apply(Components({{ProtoComponent::DISPENSER, ProtoComponent::FATAL, 0, "-1306"},
                           {ProtoComponent::CASSETTE, ProtoComponent::WARNING, 4}}),
               kT);
  health.Apply(Components({{ProtoComponent::DISPENSER, ProtoComponent::FATAL}}), kT + kMinute);
  health.CountRetained(v1::CardRetained::HOST_ORDER);
  DeviceHealthState saved;
  health.Save(&saved);
  DeviceHealth restored;
  restored.Restore(saved);
  EXPECT_EQ(restored.severity(Component::kDispenser), Severity::kFatal);
  EXPECT_EQ(restored.since_unix_ms(Component::kDispenser), kT);
  EXPECT_EQ(restored.code(Component::kDispenser), "");
  EXPECT_EQ(restored.severity(Cassette(4)), Severity::kWarning);
  EXPECT_EQ(restored.severity(Component::kEpp), Severity::kUnknown);
  EXPECT_EQ(restored.cards_retained(1), 1u);
  // The newest report's time came back too: an older one is still ignored.
  restored.Apply(Components({{ProtoComponent::DISPENSER, ProtoComponent::OK}}), kT + 30 * 1000);
  EXPECT_EQ(restored.severity(Component::kDispenser), Severity::kFatal);
  DeviceHealthState again;
  restored.Save(&again);
  EXPECT_EQ(again.SerializeAsString(), saved.SerializeAsString());
}

}  // namespace
}  // namespace atmwatch::engine
