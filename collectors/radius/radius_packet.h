#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"

// RADIUS packets on the wire (RFC 2865 §3, §5; RFC 2866 §3):
//   Code(1) Identifier(1) Length(2, big-endian) Authenticator(16) Attribute*
//   Attribute := Type(1) Length(1, counts Type and Length) Value(Length - 2)
// Pure functions: bytes in, values out; thread-safe, no I/O.
namespace atmwatch::radius {

inline constexpr std::size_t kHeaderSize = 20;
inline constexpr std::size_t kMaxPacketSize = 4096;
inline constexpr std::size_t kAttributeHeaderSize = 2;
inline constexpr std::size_t kMaxAttributeValueSize = 255 - kAttributeHeaderSize;

enum class Code : std::uint8_t {
  kAccessRequest = 1,
  kAccessAccept = 2,
  kAccessReject = 3,
  kAccountingRequest = 4,
  kAccountingResponse = 5,
};

using Authenticator = std::array<std::uint8_t, 16>;

struct Attribute {
  std::uint8_t type = 0;
  std::vector<std::uint8_t> value;  // raw octets; Vendor-Specific stays unparsed

  bool operator==(const Attribute&) const = default;
};

// Attributes keep their wire order and raw values so that encoding a decoded
// packet gives back exactly the octets its authenticator was computed over.
// There is no Length member: it is always EncodedSize(packet).
struct Packet {
  Code code = Code::kAccountingRequest;
  std::uint8_t identifier = 0;
  Authenticator authenticator{};
  std::vector<Attribute> attributes;

  bool operator==(const Packet&) const = default;
};

enum class DecodeError : std::uint8_t {
  kShortPacket,                  // fewer octets than a header
  kLengthBelowMinimum,           // Length field < 20
  kLengthAboveMaximum,           // Length field > 4096
  kLengthExceedsDatagram,        // datagram shorter than its Length field
  kAttributeLengthBelowMinimum,  // attribute Length < 2
  kAttributeOverrun,             // attribute runs past the packet's Length
};

struct DecodeFailure {
  DecodeError reason;
  std::size_t offset;  // of the octet that broke the rule, for logs
};

// Decodes one datagram. Octets beyond the Length field are padding and are
// ignored (RFC 2865 §3). Never reads outside `datagram`.
Result<Packet, DecodeFailure> DecodePacket(std::span<const std::uint8_t> datagram);

enum class EncodeError : std::uint8_t {
  kAttributeTooLong,  // value longer than 253 octets
  kPacketTooLong,     // more than 4096 octets in all
};

// What the Length field of `packet` says on the wire.
std::size_t EncodedSize(const Packet& packet);

// Writes the packet as is: the authenticator is not computed here (see
// authenticator.h).
Result<std::vector<std::uint8_t>, EncodeError> EncodePacket(const Packet& packet);

// Stable snake_case names, fit for a metric's reason label.
std::string_view ReasonName(DecodeError reason);
std::string_view ReasonName(EncodeError reason);

}  // namespace atmwatch::radius
