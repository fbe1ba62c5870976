#include "radius/line_event_mapping.h"

#include <gtest/gtest.h>

#include "radius/authenticator.h"
#include "radius/radius_test_support.h"

namespace atmwatch::radius {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;
using v1::LineEvent;

constexpr std::chrono::system_clock::time_point kArrival = sys_seconds(seconds(1'300'000'100));

AccountingRecord SessionRecord(StatusType status_type) {
  AccountingRecord record;
  record.status_type = status_type;
  record.session_id = "5A1B0001";
  record.calling_station_id = "819012345678";
  record.nas_identifier = "docomo-ggsn1";
  record.framed_ip_address = "10.20.30.40";
  return record;
}

TEST(LineEventMappingTest, InterimFromTheWireMapsEveryField) {
  auto packet = DecodePacket(test_support::InterimRequestBytes());
  ASSERT_TRUE(packet.ok());
  ASSERT_TRUE(VerifyAccountingRequest(*packet, test_support::kSecret));
  auto record = ParseAccountingRecord(*packet);
  ASSERT_TRUE(record.ok());

  auto event = SessionEvent(*record, "docomo", kArrival);
  ASSERT_TRUE(event.ok());
  const LineEvent& line = event->line();
  EXPECT_EQ(line.line_id(), "819012345678");
  EXPECT_EQ(line.carrier(), "docomo");
  EXPECT_EQ(line.kind(), LineEvent::SESSION_INTERIM);
  EXPECT_EQ(line.session_id(), "5A1B0001");
  // Acct-Output-Octets = 1000 went to the line; Acct-Input 5 + 1 gigaword came from it.
  EXPECT_EQ(line.bytes_in(), 1000u);
  EXPECT_EQ(line.bytes_out(), 4294967301u);
  EXPECT_EQ(line.framed_ip(), "10.20.30.40");
  EXPECT_EQ(line.terminate_cause(), "");
  EXPECT_FALSE(line.has_signal_dbm());
  // Acct-Delay-Time = 2.
  EXPECT_EQ(event->time_unix_ms(), (1'300'000'100LL - 2) * 1000);
}

TEST(LineEventMappingTest, StatusTypesMapToSessionKinds) {
  for (auto [status, kind] : {std::pair{StatusType::kStart, LineEvent::SESSION_START},
                              std::pair{StatusType::kInterimUpdate, LineEvent::SESSION_INTERIM},
                              std::pair{StatusType::kStop, LineEvent::SESSION_STOP}}) {
    auto event = SessionEvent(SessionRecord(status), "", kArrival);
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(event->line().kind(), kind);
  }
}

TEST(LineEventMappingTest, SignalGoesWithEveryKind) {
  for (StatusType status : {StatusType::kStart, StatusType::kInterimUpdate, StatusType::kStop}) {
    AccountingRecord record = SessionRecord(status);
    record.signal_dbm = -101;
    auto event = SessionEvent(record, "docomo", kArrival);
    ASSERT_TRUE(event.ok());
    ASSERT_TRUE(event->line().has_signal_dbm());
    EXPECT_EQ(event->line().signal_dbm(), -101);
  }
}

TEST(LineEventMappingTest, StopCarriesTheTerminateCause) {
  AccountingRecord record = SessionRecord(StatusType::kStop);
  record.terminate_cause = "Lost-Carrier";
  record.output_octets = 7;
  record.input_octets = 3;
  auto event = SessionEvent(record, "docomo", kArrival);
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->line().terminate_cause(), "Lost-Carrier");
  EXPECT_EQ(event->line().bytes_in(), 7u);
  EXPECT_EQ(event->line().bytes_out(), 3u);
}

TEST(LineEventMappingTest, EventTimestampWinsOverDelay) {
  AccountingRecord record = SessionRecord(StatusType::kStart);
  record.event_timestamp = sys_seconds(seconds(1'300'000'000));
  record.delay_time = seconds(30);
  auto event = SessionEvent(record, "", kArrival);
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->time_unix_ms(), 1'300'000'000'000LL);
}

TEST(LineEventMappingTest, AbsentOctetsAreZero) {
  auto event = SessionEvent(SessionRecord(StatusType::kStart), "", kArrival);
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->line().bytes_in(), 0u);
  EXPECT_EQ(event->line().bytes_out(), 0u);
  EXPECT_EQ(event->time_unix_ms(), 1'300'000'100'000LL);
}

TEST(LineEventMappingTest, RecordsThatNameNoSessionOrLineAreRefused) {
  AccountingRecord no_session = SessionRecord(StatusType::kInterimUpdate);
  no_session.session_id.clear();
  EXPECT_EQ(SessionEvent(no_session, "", kArrival).error(), MappingError::kMissingSessionId);

  AccountingRecord no_line = SessionRecord(StatusType::kStop);
  no_line.calling_station_id.clear();
  EXPECT_EQ(SessionEvent(no_line, "", kArrival).error(), MappingError::kMissingCallingStationId);

  EXPECT_EQ(SessionEvent(SessionRecord(StatusType::kAccountingOn), "", kArrival).error(),
            MappingError::kNotASessionRecord);
  EXPECT_EQ(ReasonName(MappingError::kMissingSessionId), "missing_session_id");
}

// RFC 2866 lets Acct-Session-Id and Calling-Station-Id be any octets, but a
// LineEvent's strings must be UTF-8: otherwise the daemon cannot parse the
// Batch holding it and refuses every event in it, again on every resend.
TEST(LineEventMappingTest, SessionIdOrLineIdThatIsNotUtf8IsRefused) {
  AccountingRecord record = SessionRecord(StatusType::kStart);
  record.session_id = std::string("\x00\x17\xfe\x01", 4);
  auto event = SessionEvent(record, "docomo", kArrival);
  ASSERT_FALSE(event.ok());
  EXPECT_EQ(event.error(), MappingError::kStringNotUtf8);
  EXPECT_EQ(ReasonName(event.error()), "string_not_utf8");

  record = SessionRecord(StatusType::kStop);
  record.calling_station_id = "81901234\xc0\xaf";  // an overlong '/'
  event = SessionEvent(record, "docomo", kArrival);
  ASSERT_FALSE(event.ok());
  EXPECT_EQ(event.error(), MappingError::kStringNotUtf8);

  record = SessionRecord(StatusType::kStart);
  record.session_id = std::string("5A1B\x00\x01", 6);  // octets below 0x80 are UTF-8
  event = SessionEvent(record, "docomo", kArrival);
  ASSERT_TRUE(event.ok());
  v1::Envelope reparsed;
  EXPECT_TRUE(reparsed.ParseFromString(event->SerializeAsString()));
}

TEST(LineEventMappingTest, DetachEventNamesLineCarrierAndTime) {
  const v1::Envelope event = DetachEvent("819012345678", "kddi", kArrival);
  EXPECT_EQ(event.line().kind(), LineEvent::DETACH);
  EXPECT_EQ(event.line().line_id(), "819012345678");
  EXPECT_EQ(event.line().carrier(), "kddi");
  EXPECT_EQ(event.line().session_id(), "");
  EXPECT_EQ(event.time_unix_ms(), 1'300'000'100'000LL);
}

}  // namespace
}  // namespace atmwatch::radius
