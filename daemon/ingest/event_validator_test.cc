#include "ingest/event_validator.h"

#include <gtest/gtest.h>

namespace atmwatch::ingest {
namespace {

using v1::AtmTransaction;
using v1::Envelope;

constexpr std::int64_t kNow = 1700000000000;  // 2023-11-14T22:13:20Z
constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

Envelope Withdrawal(std::int64_t time = kNow) {
  Envelope e;
  e.set_time_unix_ms(time);
  auto* tx = e.mutable_transaction();
  tx->set_atm_id("ATM0001");
  tx->set_type(AtmTransaction::WITHDRAWAL);
  tx->set_result(AtmTransaction::APPROVED);
  tx->set_amount_yen(10000);
  return e;
}

std::string ReasonOf(const Envelope& e, ValidationLimits limits = {}) {
  const auto rejection = ValidateEvent(e, limits, kNow);
  return rejection ? std::string(rejection->reason) : "ok";
}

TEST(EventValidatorTest, GoodWithdrawalPasses) { EXPECT_EQ(ReasonOf(Withdrawal()), "ok"); }

TEST(EventValidatorTest, EmptyEnvelopeHasNoEvent) {
  EXPECT_EQ(ReasonOf(Envelope()), "missing_event");
}

TEST(EventValidatorTest, TimeIsRequired) { EXPECT_EQ(ReasonOf(Withdrawal(0)), "missing_time"); }

TEST(EventValidatorTest, FiveMinutesAheadIsTheFutureEdge) {
  EXPECT_EQ(ReasonOf(Withdrawal(kNow + 5 * kMinute)), "ok");
  EXPECT_EQ(ReasonOf(Withdrawal(kNow + 5 * kMinute + 1)), "future_event");
}

TEST(EventValidatorTest, MaxEventAgeIsTheOldEdgeAndZeroMeansNoLimit) {
  ValidationLimits limits;
  limits.max_event_age_ms = 400 * kDay;
  EXPECT_EQ(ReasonOf(Withdrawal(kNow - 400 * kDay), limits), "ok");
  EXPECT_EQ(ReasonOf(Withdrawal(kNow - 400 * kDay - 1), limits), "too_old");
  limits.max_event_age_ms = 0;
  EXPECT_EQ(ReasonOf(Withdrawal(kNow - 5000 * kDay), limits), "ok");
}

TEST(EventValidatorTest, TransactionFields) {
  auto e = Withdrawal();
  e.mutable_transaction()->clear_atm_id();
  EXPECT_EQ(ReasonOf(e), "missing_field");

  e = Withdrawal();
  e.mutable_transaction()->set_type(AtmTransaction::TYPE_UNSPECIFIED);
  EXPECT_EQ(ReasonOf(e), "bad_enum");

  e = Withdrawal();
  e.mutable_transaction()->set_result(static_cast<AtmTransaction::Result>(99));
  EXPECT_EQ(ReasonOf(e), "bad_enum");

  e = Withdrawal();
  e.mutable_transaction()->set_amount_yen(-1);
  EXPECT_EQ(ReasonOf(e), "bad_amount");

  e = Withdrawal();
  e.mutable_transaction()->set_atm_id(std::string(257, 'A'));
  EXPECT_EQ(ReasonOf(e), "field_too_long");
}

TEST(EventValidatorTest, StatusNeedsStateOrHeartbeat) {
  Envelope e;
  e.set_time_unix_ms(kNow);
  e.mutable_status()->set_atm_id("ATM0001");
  EXPECT_EQ(ReasonOf(e), "missing_field");
  e.mutable_status()->set_heartbeat(true);
  EXPECT_EQ(ReasonOf(e), "ok");
  e.mutable_status()->set_state(v1::AtmStatus::CASH_OUT);
  EXPECT_EQ(ReasonOf(e), "ok");
}

TEST(EventValidatorTest, SessionEventsNeedASessionId) {
  Envelope e;
  e.set_time_unix_ms(kNow);
  auto* line = e.mutable_line();
  line->set_line_id("819012345678");
  line->set_kind(v1::LineEvent::ATTACH);
  EXPECT_EQ(ReasonOf(e), "ok");
  line->set_kind(v1::LineEvent::SESSION_START);
  EXPECT_EQ(ReasonOf(e), "missing_field");
  line->set_session_id("s-1");
  EXPECT_EQ(ReasonOf(e), "ok");
}

TEST(EventValidatorTest, LedgerNeedsARealBookingDate) {
  Envelope e;
  e.set_time_unix_ms(kNow);
  auto* entry = e.mutable_ledger();
  entry->set_category(v1::LedgerEntry::COST);
  entry->set_amount_yen(-5000);  // corrections are negative
  EXPECT_EQ(ReasonOf(e), "missing_field");
  entry->set_booking_date("2009-02-30");
  EXPECT_EQ(ReasonOf(e), "bad_date");
  entry->set_booking_date("2009-02-28");
  EXPECT_EQ(ReasonOf(e), "ok");
}

Envelope Replenishment() {
  Envelope e;
  e.set_time_unix_ms(kNow);
  auto* cash = e.mutable_cash();
  cash->set_atm_id("ATM0001");
  cash->set_kind(v1::CashEvent::REPLENISHMENT);
  auto* cassette = cash->add_cassettes();
  cassette->set_denomination_yen(10000);
  cassette->set_notes(2000);
  cash->set_cost_yen(15000);
  return e;
}

TEST(EventValidatorTest, GoodReplenishmentPasses) { EXPECT_EQ(ReasonOf(Replenishment()), "ok"); }

TEST(EventValidatorTest, CashNeedsAtmKindAndCassettes) {
  Envelope e = Replenishment();
  e.mutable_cash()->clear_atm_id();
  EXPECT_EQ(ReasonOf(e), "missing_field");
  e = Replenishment();
  e.mutable_cash()->set_kind(v1::CashEvent::KIND_UNSPECIFIED);
  EXPECT_EQ(ReasonOf(e), "bad_enum");
  e.mutable_cash()->set_kind(static_cast<v1::CashEvent::Kind>(9));
  EXPECT_EQ(ReasonOf(e), "bad_enum");
  e = Replenishment();
  e.mutable_cash()->clear_cassettes();
  EXPECT_EQ(ReasonOf(e), "missing_field");
  e = Replenishment();
  for (int i = 0; i < 16; ++i) *e.mutable_cash()->add_cassettes() = e.cash().cassettes(0);
  EXPECT_EQ(ReasonOf(e), "too_many_cassettes");
}

TEST(EventValidatorTest, CassettesHoldYenNotesWithinTheBound) {
  Envelope e = Replenishment();
  auto* cassette = e.mutable_cash()->mutable_cassettes(0);
  for (int denomination : {1000, 2000, 5000, 10000}) {
    cassette->set_denomination_yen(denomination);
    EXPECT_EQ(ReasonOf(e), "ok") << denomination;
  }
  for (int denomination : {0, 500, 3000, 20000, -1000}) {
    cassette->set_denomination_yen(denomination);
    EXPECT_EQ(ReasonOf(e), "bad_denomination") << denomination;
  }
  cassette->set_denomination_yen(1000);
  cassette->set_notes(0);
  EXPECT_EQ(ReasonOf(e), "ok");
  cassette->set_notes(10000);
  EXPECT_EQ(ReasonOf(e), "ok");
  cassette->set_notes(10001);
  EXPECT_EQ(ReasonOf(e), "bad_notes");
  cassette->set_notes(-1);
  EXPECT_EQ(ReasonOf(e), "bad_notes");
}

TEST(EventValidatorTest, CostIsForReplenishmentsAndNotNegative) {
  Envelope e = Replenishment();
  e.mutable_cash()->set_cost_yen(-1);
  EXPECT_EQ(ReasonOf(e), "bad_amount");
  e.mutable_cash()->set_cost_yen(0);
  EXPECT_EQ(ReasonOf(e), "ok");
  e.mutable_cash()->set_kind(v1::CashEvent::COUNT);
  EXPECT_EQ(ReasonOf(e), "ok");
  e.mutable_cash()->set_cost_yen(15000);
  EXPECT_EQ(ReasonOf(e), "bad_amount");
}

Envelope ComponentReport() {
  Envelope e;
  e.set_time_unix_ms(kNow);
  auto* status = e.mutable_status();
  status->set_atm_id("ATM0001");
  auto* dispenser = status->add_components();
  dispenser->set_kind(v1::AtmStatus::Component::DISPENSER);
  dispenser->set_severity(v1::AtmStatus::Component::FATAL);
  dispenser->set_code("-1306");
  auto* cassette = status->add_components();
  cassette->set_kind(v1::AtmStatus::Component::CASSETTE);
  cassette->set_cassette(1);
  cassette->set_severity(v1::AtmStatus::Component::OK);
  return e;
}

// Components alone make a status: no state, no heartbeat.
TEST(EventValidatorTest, ComponentsWithoutStateOrHeartbeatPass) {
  EXPECT_EQ(ReasonOf(ComponentReport()), "ok");
  Envelope e = ComponentReport();
  e.mutable_status()->clear_components();
  EXPECT_EQ(ReasonOf(e), "missing_field");
  e.mutable_status()->set_heartbeat(true);
  EXPECT_EQ(ReasonOf(e), "ok");
}

TEST(EventValidatorTest, ComponentNeedsKindAndSeverity) {
  Envelope e = ComponentReport();
  e.mutable_status()->mutable_components(0)->set_kind(v1::AtmStatus::Component::KIND_UNSPECIFIED);
  EXPECT_EQ(ReasonOf(e), "bad_enum");
  e.mutable_status()->mutable_components(0)->set_kind(
      static_cast<v1::AtmStatus::Component::Kind>(7));
  EXPECT_EQ(ReasonOf(e), "bad_enum");
  e = ComponentReport();
  e.mutable_status()->mutable_components(1)->set_severity(
      v1::AtmStatus::Component::SEVERITY_UNSPECIFIED);
  EXPECT_EQ(ReasonOf(e), "bad_enum");
  e.mutable_status()->mutable_components(1)->set_severity(
      static_cast<v1::AtmStatus::Component::Severity>(4));
  EXPECT_EQ(ReasonOf(e), "bad_enum");
  const auto rejection = ValidateEvent(e, {}, kNow);
  ASSERT_TRUE(rejection);
  EXPECT_NE(rejection->detail.find("status.components[1].severity"), std::string::npos)
      << rejection->detail;
}

TEST(EventValidatorTest, CassetteNumberOnlyForCassettesWithinOneToEight) {
  Envelope e = ComponentReport();
  auto* cassette = e.mutable_status()->mutable_components(1);
  for (uint32_t n : {1u, 8u}) {
    cassette->set_cassette(n);
    EXPECT_EQ(ReasonOf(e), "ok") << n;
  }
  for (uint32_t n : {0u, 9u}) {
    cassette->set_cassette(n);
    EXPECT_EQ(ReasonOf(e), "bad_cassette") << n;
  }
  e = ComponentReport();
  e.mutable_status()->mutable_components(0)->set_cassette(1);
  EXPECT_EQ(ReasonOf(e), "bad_cassette");
  const auto rejection = ValidateEvent(e, {}, kNow);
  ASSERT_TRUE(rejection);
  EXPECT_NE(rejection->detail.find("status.components[0].cassette"), std::string::npos)
      << rejection->detail;
}

TEST(EventValidatorTest, AtMostSixteenComponentsWithBoundedCodes) {
  Envelope e = ComponentReport();
  while (e.status().components_size() < 16) {
    *e.mutable_status()->add_components() = e.status().components(1);
  }
  EXPECT_EQ(ReasonOf(e), "ok");
  *e.mutable_status()->add_components() = e.status().components(1);
  EXPECT_EQ(ReasonOf(e), "too_many_components");
  e = ComponentReport();
  ValidationLimits limits;
  limits.max_string_bytes = 8;
  e.mutable_status()->mutable_components(0)->set_code("123456789");
  EXPECT_EQ(ReasonOf(e, limits), "field_too_long");
  e.mutable_status()->mutable_components(0)->set_code("12345678");
  EXPECT_EQ(ReasonOf(e, limits), "ok");
}

Envelope CardKept() {
  Envelope e;
  e.set_time_unix_ms(kNow);
  auto* card = e.mutable_card_retained();
  card->set_atm_id("ATM0001");
  card->set_reason(v1::CardRetained::CUSTOMER_TIMEOUT);
  card->set_issuer("0005");
  return e;
}

TEST(EventValidatorTest, CardRetainedNeedsAtmAndReason) {
  EXPECT_EQ(ReasonOf(CardKept()), "ok");
  Envelope e = CardKept();
  e.mutable_card_retained()->clear_atm_id();
  EXPECT_EQ(ReasonOf(e), "missing_field");
  e = CardKept();
  e.mutable_card_retained()->set_reason(v1::CardRetained::REASON_UNSPECIFIED);
  EXPECT_EQ(ReasonOf(e), "bad_enum");
  e.mutable_card_retained()->set_reason(static_cast<v1::CardRetained::Reason>(4));
  EXPECT_EQ(ReasonOf(e), "bad_enum");
  e = CardKept();
  ValidationLimits limits;
  limits.max_string_bytes = 3;
  EXPECT_EQ(ReasonOf(e, limits), "field_too_long");
}

}  // namespace
}  // namespace atmwatch::ingest
