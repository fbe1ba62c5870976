// POST /v1/events bodies: what refuses the whole body (400) and what is left
// to the per-event rules.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/events_endpoint.h"

namespace atmwatch::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Batch(const std::string& events) {
  return R"({"sourceId": "t", "seq": "1", "events": [)" + events + "]}";
}

const std::string kGood =
    R"({"timeUnixMs": "1", "transaction": {"atmId": "A", "type": "WITHDRAWAL", "result": "APPROVED"}})";

TEST(EventsBodyTest, MisspelledEnumNameRefusesOnlyItsEvent) {
  const std::string body = Batch(
      kGood + "," +
      R"({"timeUnixMs": "1", "transaction": {"atmId": "B", "type": "WITHDRAWL", "result": "APPROVED"}},)" +
      R"({"timeUnixMs": "1", "status": {"atmId": "C", "state": "ONLIEN", "heartbeat": true}})");
  v1::Batch batch;
  std::map<int, std::string> misspelled;
  const Status status = ParseBatchBody(body, /*json=*/true, &batch, &misspelled);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(batch.events_size(), 3);
  EXPECT_EQ(batch.events(0).transaction().type(), v1::AtmTransaction::WITHDRAWAL);
  EXPECT_EQ(batch.events(1).transaction().atm_id(), "B");
  EXPECT_FALSE(v1::AtmTransaction::Type_IsValid(batch.events(1).transaction().type()));
  EXPECT_FALSE(v1::AtmStatus::State_IsValid(batch.events(2).status().state()));
  ASSERT_EQ(misspelled.size(), 2u);
  EXPECT_THAT(misspelled[1], HasSubstr("transaction.type \"WITHDRAWL\" is not a known type; "
                                       "valid: WITHDRAWAL, "));
  EXPECT_THAT(misspelled[1], Not(HasSubstr("UNSPECIFIED")));
  EXPECT_THAT(misspelled[2], HasSubstr("status.state \"ONLIEN\" is not a known state; valid: "));
}

TEST(EventsBodyTest, UnknownKeyBesideAMisspelledEnumStillRefusesTheBody) {
  v1::Batch batch;
  const Status status = ParseBatchBody(
      Batch(
          R"({"timeUnixMs": "1", "transaction": {"atmId": "B", "type": "WITHDRAWL", "colour": 1}})"),
      /*json=*/true, &batch);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("the body is not a Batch in JSON"));
}

TEST(EventsBodyTest, NonUtf8BodyIsDescribedNotEchoed) {
  const std::string body = Batch(R"({"timeUnixMs": "1", "transaction": {"atmId": "A)" +
                                 std::string("\xff\xfe") + R"("}})");
  v1::Batch batch;
  const Status status = ParseBatchBody(body, /*json=*/true, &batch);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("the body is not valid UTF-8 at byte " +
                                          std::to_string(body.find('\xff'))));
  EXPECT_EQ(status.message().find('\xff'), std::string::npos);
}

}  // namespace
}  // namespace atmwatch::http
