#include "radius/accounting_record.h"

#include <gtest/gtest.h>

#include <set>

#include "radius/authenticator.h"
#include "radius/dictionary.h"
#include "radius/radius_test_support.h"

namespace atmwatch::radius {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;
using test_support::IntegerAttribute;
using test_support::StringAttribute;

Packet Request(std::vector<Attribute> attributes) {
  return Packet{.code = Code::kAccountingRequest, .attributes = std::move(attributes)};
}

// A request with Acct-Status-Type first and `more` after it.
Packet StatusRequest(StatusType status, std::vector<Attribute> more = {}) {
  more.insert(more.begin(),
              IntegerAttribute(attribute::kAcctStatusType, static_cast<std::uint32_t>(status)));
  return Request(std::move(more));
}

constexpr std::chrono::system_clock::time_point kArrival = sys_seconds(seconds(1'300'000'100));

AccountingRecord Parse(const Packet& request) {
  auto record = ParseAccountingRecord(request);
  EXPECT_TRUE(record.ok()) << ReasonName(record.error().reason);
  return record.ok() ? *record : AccountingRecord{};
}

RecordFailure ExpectFailure(const Packet& request) {
  auto record = ParseAccountingRecord(request);
  EXPECT_FALSE(record.ok());
  return record.ok() ? RecordFailure{} : record.error();
}

TEST(AccountingRecordTest, MapsVerifiedInterimUpdateFromTheWire) {
  auto packet = DecodePacket(test_support::InterimRequestBytes());
  ASSERT_TRUE(packet.ok());
  ASSERT_TRUE(VerifyAccountingRequest(*packet, test_support::kSecret));

  const AccountingRecord record = Parse(*packet);
  EXPECT_EQ(record.status_type, StatusType::kInterimUpdate);
  EXPECT_EQ(record.session_id, "5A1B0001");
  EXPECT_EQ(record.calling_station_id, "819012345678");
  EXPECT_EQ(record.nas_identifier, "docomo-ggsn1");
  EXPECT_EQ(record.framed_ip_address, "10.20.30.40");
  EXPECT_EQ(record.input_octets, 4294967301u);
  EXPECT_EQ(record.output_octets, 1000u);
  EXPECT_EQ(record.session_time, seconds(600));
  EXPECT_EQ(record.delay_time, seconds(2));
  EXPECT_EQ(record.event_timestamp, std::nullopt);
  EXPECT_EQ(record.user_name, "");
  EXPECT_EQ(record.nas_ip_address, "");
  EXPECT_EQ(record.terminate_cause, "");
}

TEST(AccountingRecordTest, MapsStopWithUserAndAddresses) {
  const std::vector<Attribute> attributes = {
      StringAttribute(attribute::kUserName, "atm0001"),
      {attribute::kNasIpAddress, {192, 168, 1, 16}},
      {attribute::kFramedIpAddress, {0, 0, 0, 0}},
      IntegerAttribute(attribute::kAcctTerminateCause, 2),
  };
  const AccountingRecord record = Parse(StatusRequest(StatusType::kStop, attributes));
  EXPECT_EQ(record.status_type, StatusType::kStop);
  EXPECT_EQ(record.user_name, "atm0001");
  EXPECT_EQ(record.nas_ip_address, "192.168.1.16");
  EXPECT_EQ(record.framed_ip_address, "0.0.0.0");
  EXPECT_EQ(record.terminate_cause, "Lost-Carrier");
}

TEST(AccountingRecordTest, GigawordsCountFourGibiOctetsEach) {
  struct Case {
    std::optional<std::uint32_t> octets;
    std::optional<std::uint32_t> gigawords;
    std::uint64_t total;
  };
  for (const Case& c : {
           Case{5, 1, 4294967301u},
           Case{5, 0, 5},
           Case{0xffffffff, std::nullopt, 0xffffffffu},
           Case{std::nullopt, 2, 8589934592u},
           Case{0xffffffff, 0xffffffff, 0xffffffffffffffffu},
       }) {
    SCOPED_TRACE(c.total);
    std::vector<Attribute> in;
    std::vector<Attribute> out;
    if (c.octets) in.push_back(IntegerAttribute(attribute::kAcctInputOctets, *c.octets));
    if (c.gigawords) in.push_back(IntegerAttribute(attribute::kAcctInputGigawords, *c.gigawords));
    if (c.octets) out.push_back(IntegerAttribute(attribute::kAcctOutputOctets, *c.octets));
    if (c.gigawords) {
      out.push_back(IntegerAttribute(attribute::kAcctOutputGigawords, *c.gigawords));
    }

    EXPECT_EQ(Parse(StatusRequest(StatusType::kInterimUpdate, in)).input_octets, c.total);
    EXPECT_EQ(Parse(StatusRequest(StatusType::kInterimUpdate, out)).output_octets, c.total);
  }
}

// A Start carries no counters; "absent" must not read as "zero", which would
// look like a counter reset.
TEST(AccountingRecordTest, AbsentCountersStayUnset) {
  const AccountingRecord record = Parse(StatusRequest(StatusType::kStart));
  EXPECT_EQ(record.input_octets, std::nullopt);
  EXPECT_EQ(record.output_octets, std::nullopt);
  EXPECT_EQ(record.session_time, std::nullopt);
  EXPECT_EQ(record.delay_time, std::nullopt);
}

TEST(AccountingRecordTest, MapsEverySupportedStatusType) {
  for (StatusType status : {StatusType::kStart, StatusType::kStop, StatusType::kInterimUpdate,
                            StatusType::kAccountingOn, StatusType::kAccountingOff}) {
    EXPECT_EQ(Parse(StatusRequest(status)).status_type, status);
  }
}

TEST(AccountingRecordTest, OtherStatusTypesAreRefused) {
  // 0 is undefined, 9 is Tunnel-Start (RFC 2867), 15 is Failed.
  for (std::uint32_t value : {0u, 4u, 9u, 15u, 0xffffffffu}) {
    SCOPED_TRACE(value);
    const RecordFailure failure =
        ExpectFailure(Request({IntegerAttribute(attribute::kAcctStatusType, value)}));
    EXPECT_EQ(failure.reason, RecordError::kUnsupportedStatusType);
    EXPECT_EQ(failure.attribute_type, attribute::kAcctStatusType);
  }
}

TEST(AccountingRecordTest, MissingStatusTypeIsRefused) {
  const RecordFailure failure =
      ExpectFailure(Request({StringAttribute(attribute::kAcctSessionId, "S1")}));
  EXPECT_EQ(failure.reason, RecordError::kMissingStatusType);
  EXPECT_EQ(failure.attribute_type, attribute::kAcctStatusType);
}

TEST(AccountingRecordTest, OnlyAccountingRequestsAreMapped) {
  Packet packet = StatusRequest(StatusType::kStart);
  packet.code = Code::kAccountingResponse;
  EXPECT_EQ(ExpectFailure(packet).reason, RecordError::kNotAccountingRequest);
}

TEST(AccountingRecordTest, IntegerOfOtherThanFourOctetsIsRefused) {
  for (std::uint8_t type :
       {attribute::kAcctStatusType, attribute::kAcctDelayTime, attribute::kAcctInputOctets,
        attribute::kAcctOutputOctets, attribute::kAcctSessionTime, attribute::kAcctTerminateCause,
        attribute::kAcctInputGigawords, attribute::kAcctOutputGigawords,
        attribute::kEventTimestamp}) {
    for (std::size_t size : {0, 3, 5, 8}) {
      SCOPED_TRACE(::testing::Message() << "type " << int{type} << " size " << size);
      const Attribute bad{type, std::vector<std::uint8_t>(size, 1)};
      const RecordFailure failure = ExpectFailure(type == attribute::kAcctStatusType
                                                      ? Request({bad})
                                                      : StatusRequest(StatusType::kStop, {bad}));
      EXPECT_EQ(failure.reason, RecordError::kIntegerNotFourOctets);
      EXPECT_EQ(failure.attribute_type, type);
    }
  }
}

TEST(AccountingRecordTest, AddressOfOtherThanFourOctetsIsRefused) {
  for (std::uint8_t type : {attribute::kNasIpAddress, attribute::kFramedIpAddress}) {
    for (std::size_t size : {0, 3, 16}) {
      SCOPED_TRACE(::testing::Message() << "type " << int{type} << " size " << size);
      const RecordFailure failure = ExpectFailure(
          StatusRequest(StatusType::kStart, {{type, std::vector<std::uint8_t>(size, 10)}}));
      EXPECT_EQ(failure.reason, RecordError::kAddressNotFourOctets);
      EXPECT_EQ(failure.attribute_type, type);
    }
  }
}

TEST(AccountingRecordTest, EmptyStringIsRefused) {
  for (std::uint8_t type : {attribute::kUserName, attribute::kCallingStationId,
                            attribute::kNasIdentifier, attribute::kAcctSessionId}) {
    SCOPED_TRACE(int{type});
    const RecordFailure failure =
        ExpectFailure(StatusRequest(StatusType::kStart, {Attribute{type, {}}}));
    EXPECT_EQ(failure.reason, RecordError::kEmptyString);
    EXPECT_EQ(failure.attribute_type, type);
  }
}

TEST(AccountingRecordTest, RepeatedAttributeIsRefused) {
  const std::vector<Attribute> two_lines = {
      StringAttribute(attribute::kCallingStationId, "819000000001"),
      StringAttribute(attribute::kCallingStationId, "819000000002"),
  };
  RecordFailure failure = ExpectFailure(StatusRequest(StatusType::kStart, two_lines));
  EXPECT_EQ(failure.reason, RecordError::kDuplicateAttribute);
  EXPECT_EQ(failure.attribute_type, attribute::kCallingStationId);

  const Attribute second_status = IntegerAttribute(attribute::kAcctStatusType, 2);
  failure = ExpectFailure(StatusRequest(StatusType::kStart, {second_status}));
  EXPECT_EQ(failure.reason, RecordError::kDuplicateAttribute);
  EXPECT_EQ(failure.attribute_type, attribute::kAcctStatusType);
}

TEST(AccountingRecordTest, TerminateCausesHaveRfc2866Names) {
  const std::vector<std::string_view> names = {
      "User-Request", "Lost-Carrier",  "Lost-Service",   "Idle-Timeout",   "Session-Timeout",
      "Admin-Reset",  "Admin-Reboot",  "Port-Error",     "NAS-Error",      "NAS-Request",
      "NAS-Reboot",   "Port-Unneeded", "Port-Preempted", "Port-Suspended", "Service-Unavailable",
      "Callback",     "User-Error",    "Host-Request",
  };
  for (std::uint32_t value = 1; value <= names.size(); ++value) {
    SCOPED_TRACE(value);
    EXPECT_EQ(Parse(StatusRequest(StatusType::kStop,
                                  {IntegerAttribute(attribute::kAcctTerminateCause, value)}))
                  .terminate_cause,
              names[value - 1]);
  }
}

TEST(AccountingRecordTest, UnknownTerminateCauseIsOther) {
  for (std::uint32_t value : {0u, 19u, 22u, 4711u, 0xffffffffu}) {
    SCOPED_TRACE(value);
    EXPECT_EQ(Parse(StatusRequest(StatusType::kStop,
                                  {IntegerAttribute(attribute::kAcctTerminateCause, value)}))
                  .terminate_cause,
              "Other");
  }
}

TEST(AccountingRecordTest, VendorSpecificAndUnknownAttributesAreSkipped) {
  const AccountingRecord record = Parse(StatusRequest(
      StatusType::kInterimUpdate,
      {
          {attribute::kVendorSpecific, {0, 0, 0x28, 0xaf, 1, 0x7f, 'A'}},  // broken sub-length
          {attribute::kVendorSpecific, {}},                                // empty
          StringAttribute(attribute::kCallingStationId, "819012345678"),
          {attribute::kVendorSpecific, {0, 0, 0x28, 0xaf, 5, 6, 0, 0, 0, 1}},
          {200, {1, 2, 3}},
          IntegerAttribute(attribute::kAcctInputOctets, 42),
      }));
  EXPECT_EQ(record.calling_station_id, "819012345678");
  EXPECT_EQ(record.input_octets, 42u);
}

// 3GPP's vendor id (10415) with a made-up sub-attribute 200: what a NAS
// would send and signal_attribute would name.
constexpr VendorAttribute kSignal{10415, 200};

Attribute SignalVsa(std::vector<std::uint8_t> sub_attributes, std::uint32_t vendor = 10415) {
  std::vector<std::uint8_t> value = {
      static_cast<std::uint8_t>(vendor >> 24), static_cast<std::uint8_t>(vendor >> 16),
      static_cast<std::uint8_t>(vendor >> 8), static_cast<std::uint8_t>(vendor)};
  value.insert(value.end(), sub_attributes.begin(), sub_attributes.end());
  return {attribute::kVendorSpecific, std::move(value)};
}

AccountingRecord ParseWithSignal(std::vector<Attribute> attributes) {
  auto record = ParseAccountingRecord(StatusRequest(StatusType::kInterimUpdate, attributes),
                                      {.signal_attribute = kSignal});
  EXPECT_TRUE(record.ok());
  return record.ok() ? *record : AccountingRecord{};
}

TEST(AccountingRecordTest, SignalIsTheConfiguredVendorAttributeAsSignedInteger) {
  // -87 dBm, after another sub-attribute of the same vendor.
  EXPECT_EQ(ParseWithSignal({SignalVsa({5, 3, 'x', 200, 6, 0xff, 0xff, 0xff, 0xa9})}).signal_dbm,
            -87);
  EXPECT_EQ(ParseWithSignal({SignalVsa({200, 6, 0, 0, 0, 3})}).signal_dbm, 3);
  // Not configured: not read.
  EXPECT_EQ(Parse(StatusRequest(StatusType::kInterimUpdate,
                                {SignalVsa({200, 6, 0xff, 0xff, 0xff, 0xa9})}))
                .signal_dbm,
            std::nullopt);
}

TEST(AccountingRecordTest, SignalOfAnotherVendorTypeOrShapeIsPassedOver) {
  for (const Attribute& vsa : {
           SignalVsa({200, 6, 0xff, 0xff, 0xff, 0xa9}, 9),  // another vendor
           SignalVsa({201, 6, 0xff, 0xff, 0xff, 0xa9}),     // another type
           SignalVsa({200, 5, 0xff, 0xff, 0xa9}),           // not four octets
           SignalVsa({200, 9, 0xff, 0xff, 0xff, 0xa9}),     // runs past the attribute
           SignalVsa({5, 0, 200, 6, 0, 0, 0, 1}),           // a sub-length below 2
           SignalVsa({}),                                   // a vendor id alone
           Attribute{attribute::kVendorSpecific, {0, 0}},   // not even that
       }) {
    const AccountingRecord record =
        ParseWithSignal({vsa, StringAttribute(attribute::kCallingStationId, "819012345678")});
    EXPECT_EQ(record.signal_dbm, std::nullopt);
    EXPECT_EQ(record.calling_station_id, "819012345678");
  }
}

TEST(AccountingRecordTest, NasIsNamedByItsOwnAttributes) {
  AccountingRecord record;
  EXPECT_EQ(NasName(record), "");
  record.nas_ip_address = "10.1.0.7";
  EXPECT_EQ(NasName(record), "10.1.0.7");
  record.nas_identifier = "docomo-ggsn1";
  EXPECT_EQ(NasName(record), "docomo-ggsn1 (10.1.0.7)");
  record.nas_ip_address.clear();
  EXPECT_EQ(NasName(record), "docomo-ggsn1");
}

TEST(AccountingRecordTest, EventTimestampWinsOverDelayTime) {
  const AccountingRecord record = Parse(StatusRequest(
      StatusType::kStart, {IntegerAttribute(attribute::kAcctDelayTime, 30),
                           IntegerAttribute(attribute::kEventTimestamp, 1'300'000'000)}));

  EXPECT_EQ(record.event_timestamp, sys_seconds(seconds(1'300'000'000)));
  EXPECT_EQ(EventTime(record, kArrival), sys_seconds(seconds(1'300'000'000)));
}

TEST(AccountingRecordTest, DelayTimeIsTakenOffTheArrivalTime) {
  const AccountingRecord record =
      Parse(StatusRequest(StatusType::kStart, {IntegerAttribute(attribute::kAcctDelayTime, 30)}));

  EXPECT_EQ(record.event_timestamp, std::nullopt);
  EXPECT_EQ(EventTime(record, kArrival), sys_seconds(seconds(1'300'000'070)));
}

TEST(AccountingRecordTest, WithoutTimestampOrDelayTheEventHappenedOnArrival) {
  EXPECT_EQ(EventTime(Parse(StatusRequest(StatusType::kStart)), kArrival), kArrival);
}

TEST(AccountingRecordTest, ReasonNamesAreDistinct) {
  std::set<std::string_view> names;
  for (RecordError reason : {RecordError::kNotAccountingRequest, RecordError::kMissingStatusType,
                             RecordError::kUnsupportedStatusType, RecordError::kDuplicateAttribute,
                             RecordError::kIntegerNotFourOctets, RecordError::kAddressNotFourOctets,
                             RecordError::kEmptyString}) {
    names.insert(ReasonName(reason));
  }
  EXPECT_EQ(names.size(), 7u);
  EXPECT_FALSE(names.contains("unknown"));
}

}  // namespace
}  // namespace atmwatch::radius
