#include "events/event_kind.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace atmwatch::events {
namespace {

v1::Envelope Transaction(const std::string& atm_id) {
  v1::Envelope e;
  e.mutable_transaction()->set_atm_id(atm_id);
  return e;
}

v1::Envelope Status(const std::string& atm_id) {
  v1::Envelope e;
  e.mutable_status()->set_atm_id(atm_id);
  return e;
}

v1::Envelope Line() {
  v1::Envelope e;
  e.mutable_line()->set_line_id("819012345678");
  return e;
}

v1::Envelope Ledger() {
  v1::Envelope e;
  e.mutable_ledger()->set_booking_date("2024-04-01");
  return e;
}

v1::Envelope Cash(const std::string& atm_id) {
  v1::Envelope e;
  e.mutable_cash()->set_atm_id(atm_id);
  return e;
}

v1::Envelope CardRetained(const std::string& atm_id) {
  v1::Envelope e;
  e.mutable_card_retained()->set_atm_id(atm_id);
  return e;
}

// The names are metric label values and `atmwatch wal` output: byte for byte.
TEST(EventKindTest, NamesInOneofOrderNoneLast) {
  std::vector<std::string> names;
  for (EventKind kind : kEventKinds) names.emplace_back(KindName(kind));
  EXPECT_EQ(names, (std::vector<std::string>{"transaction", "status", "line", "ledger", "cash",
                                             "card_retained", "none"}));
}

TEST(EventKindTest, KindOfEveryOneofCase) {
  EXPECT_EQ(KindOf(Transaction("ATM0001")), EventKind::kTransaction);
  EXPECT_EQ(KindOf(Status("ATM0001")), EventKind::kStatus);
  EXPECT_EQ(KindOf(Line()), EventKind::kLine);
  EXPECT_EQ(KindOf(Ledger()), EventKind::kLedger);
  EXPECT_EQ(KindOf(Cash("ATM0001")), EventKind::kCash);
  EXPECT_EQ(KindOf(CardRetained("ATM0001")), EventKind::kCardRetained);
  EXPECT_EQ(KindOf(v1::Envelope()), EventKind::kNone);
}

TEST(EventKindTest, NameOfAnEventsKind) {
  EXPECT_EQ(KindName(KindOf(Transaction("ATM0001"))), "transaction");
  EXPECT_EQ(KindName(KindOf(v1::Envelope())), "none");
}

TEST(EventKindTest, KindOfAnEmptyMessageIsStillItsKind) {
  v1::Envelope e;
  e.mutable_line();
  EXPECT_EQ(KindOf(e), EventKind::kLine);
  EXPECT_EQ(KindName(KindOf(e)), "line");
}

TEST(EventKindTest, AtmIdOfTransactionsStatusesCashAndCardsOnly) {
  EXPECT_EQ(AtmIdOf(Transaction("ATM0001")), "ATM0001");
  EXPECT_EQ(AtmIdOf(Status("ATM0002")), "ATM0002");
  EXPECT_EQ(AtmIdOf(Cash("ATM0003")), "ATM0003");
  EXPECT_EQ(AtmIdOf(CardRetained("ATM0004")), "ATM0004");
  EXPECT_EQ(AtmIdOf(Line()), "");
  EXPECT_EQ(AtmIdOf(Ledger()), "");
  EXPECT_EQ(AtmIdOf(v1::Envelope()), "");
}

// An ATM event without its id still counts as one: the engine sends it
// through the fleet, where the unknown-ATM cap applies.
TEST(EventKindTest, IsAtmEventByKindNotById) {
  EXPECT_TRUE(IsAtmEvent(Transaction("ATM0001")));
  EXPECT_TRUE(IsAtmEvent(Status("")));
  EXPECT_TRUE(IsAtmEvent(Cash("")));
  EXPECT_TRUE(IsAtmEvent(CardRetained("")));
  EXPECT_FALSE(IsAtmEvent(Line()));
  EXPECT_FALSE(IsAtmEvent(Ledger()));
  EXPECT_FALSE(IsAtmEvent(v1::Envelope()));
}

}  // namespace
}  // namespace atmwatch::events
