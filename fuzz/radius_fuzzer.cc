// Fuzz target: one UDP datagram at atmwatch-radius, through the steps
// AccountingServer::Handle takes: DecodePacket, the authenticator check,
// ParseAccountingRecord and the LineEvent mapping.
//
// Invariants besides "no crash, no leak, no undefined behaviour":
//  - a decoded packet encodes back to exactly the octets its Length field
//    covered (the authenticator is computed over them, so this must hold);
//  - a packet signed with a secret verifies with it and not with another;
//  - the response to any decodable request encodes, carrying exactly its
//    Proxy-State attributes in order;
//  - a record maps to a LineEvent that names its line and session and that
//    the daemon can parse.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_check.h"
#include "radius/accounting_record.h"
#include "radius/authenticator.h"
#include "radius/dictionary.h"
#include "radius/line_event_mapping.h"
#include "radius/radius_packet.h"

namespace {

using namespace atmwatch::radius;

constexpr std::string_view kSecret = "testing123";

void CheckRoundTrip(std::span<const std::uint8_t> datagram, const Packet& packet) {
  const std::size_t length = EncodedSize(packet);
  FUZZ_CHECK(length >= kHeaderSize && length <= kMaxPacketSize && length <= datagram.size());
  FUZZ_CHECK((std::size_t{datagram[2]} << 8 | datagram[3]) == length);
  const auto encoded = EncodePacket(packet);
  FUZZ_CHECK(encoded.ok());
  FUZZ_CHECK(std::equal(encoded->begin(), encoded->end(), datagram.begin(),
                        datagram.begin() + static_cast<std::ptrdiff_t>(length)));
  const auto again = DecodePacket(*encoded);
  FUZZ_CHECK(again.ok() && *again == packet);
}

void CheckAuthenticators(const Packet& packet) {
  (void)VerifyAccountingRequest(packet, kSecret);
  Packet signed_packet = packet;
  const auto authenticator = ComputeAccountingRequestAuthenticator(signed_packet, kSecret);
  FUZZ_CHECK(authenticator.has_value());
  signed_packet.authenticator = *authenticator;
  FUZZ_CHECK(VerifyAccountingRequest(signed_packet, kSecret));
  FUZZ_CHECK(!VerifyAccountingRequest(signed_packet, "another secret"));
  const auto response = EncodeAccountingResponse(signed_packet, kSecret);
  FUZZ_CHECK(response.has_value());
  FUZZ_CHECK((*response)[1] == packet.identifier);
  std::vector<Attribute> proxy_states;
  for (const Attribute& attr : packet.attributes) {
    if (attr.type == attribute::kProxyState) proxy_states.push_back(attr);
  }
  const auto decoded = DecodePacket(*response);
  FUZZ_CHECK(decoded.ok() && decoded->attributes == proxy_states);
}

void CheckMapping(const AccountingRecord& record) {
  const auto arrival = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));
  (void)EventTime(record, arrival);
  const auto event = SessionEvent(record, "docomo", arrival);
  if (!event.ok()) {
    FUZZ_CHECK(ReasonName(event.error()) != "unknown");
    return;
  }
  FUZZ_CHECK(event->has_line());
  FUZZ_CHECK(event->line().line_id() == record.calling_station_id);
  FUZZ_CHECK(event->line().session_id() == record.session_id);
  FUZZ_CHECK(!event->line().line_id().empty() && !event->line().session_id().empty());
  FUZZ_CHECK(event->line().terminate_cause().size() <= 32);
  // The daemon must be able to parse what the collector sends.
  atmwatch::v1::Envelope received;
  FUZZ_CHECK(received.ParseFromString(event->SerializeAsString()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  QuietProtobufLog();
  const std::span<const std::uint8_t> datagram(data, size);
  const auto packet = DecodePacket(datagram);
  if (!packet.ok()) {
    FUZZ_CHECK(ReasonName(packet.error().reason) != "unknown");
    FUZZ_CHECK(packet.error().offset < std::max<std::size_t>(size, 1));
    return 0;
  }
  CheckRoundTrip(datagram, *packet);
  CheckAuthenticators(*packet);

  // 3GPP's vendor id: fuzzed Vendor-Specific attributes are read as signal.
  const auto record =
      ParseAccountingRecord(*packet, {.signal_attribute = VendorAttribute{10415, 200}});
  if (!record.ok()) {
    FUZZ_CHECK(ReasonName(record.error().reason) != "unknown");
    return 0;
  }
  CheckMapping(*record);
  if (record->status_type == StatusType::kAccountingOn ||
      record->status_type == StatusType::kAccountingOff) {
    const auto detach =
        DetachEvent(record->calling_station_id, "docomo", std::chrono::system_clock::time_point());
    FUZZ_CHECK(detach.line().kind() == atmwatch::v1::LineEvent::DETACH);
  }
  return 0;
}
