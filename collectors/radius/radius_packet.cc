#include "radius/radius_packet.h"

#include <algorithm>

namespace atmwatch::radius {
namespace {

std::size_t ReadLengthField(std::span<const std::uint8_t> header) {
  return static_cast<std::size_t>(header[2]) << 8 | header[3];
}

}  // namespace

Result<Packet, DecodeFailure> DecodePacket(std::span<const std::uint8_t> datagram) {
  if (datagram.size() < kHeaderSize) return DecodeFailure{DecodeError::kShortPacket, 0};
  const std::size_t length = ReadLengthField(datagram);
  if (length < kHeaderSize) return DecodeFailure{DecodeError::kLengthBelowMinimum, 2};
  if (length > kMaxPacketSize) return DecodeFailure{DecodeError::kLengthAboveMaximum, 2};
  if (length > datagram.size()) return DecodeFailure{DecodeError::kLengthExceedsDatagram, 2};
  const std::span<const std::uint8_t> bytes = datagram.first(length);

  Packet packet;
  packet.code = static_cast<Code>(bytes[0]);
  packet.identifier = bytes[1];
  std::copy_n(bytes.begin() + 4, packet.authenticator.size(), packet.authenticator.begin());

  std::size_t offset = kHeaderSize;
  while (offset < length) {
    // A lone last octet is an attribute whose Length octet is missing.
    if (length - offset < kAttributeHeaderSize) {
      return DecodeFailure{DecodeError::kAttributeOverrun, offset};
    }
    const std::size_t attribute_length = bytes[offset + 1];
    if (attribute_length < kAttributeHeaderSize) {
      return DecodeFailure{DecodeError::kAttributeLengthBelowMinimum, offset + 1};
    }
    if (attribute_length > length - offset) {
      return DecodeFailure{DecodeError::kAttributeOverrun, offset + 1};
    }
    const auto value =
        bytes.subspan(offset + kAttributeHeaderSize, attribute_length - kAttributeHeaderSize);
    packet.attributes.push_back(Attribute{bytes[offset], {value.begin(), value.end()}});
    offset += attribute_length;
  }
  return packet;
}

std::size_t EncodedSize(const Packet& packet) {
  std::size_t size = kHeaderSize;
  for (const Attribute& attribute : packet.attributes) {
    size += kAttributeHeaderSize + attribute.value.size();
  }
  return size;
}

Result<std::vector<std::uint8_t>, EncodeError> EncodePacket(const Packet& packet) {
  for (const Attribute& attribute : packet.attributes) {
    if (attribute.value.size() > kMaxAttributeValueSize) return EncodeError::kAttributeTooLong;
  }
  const std::size_t size = EncodedSize(packet);
  if (size > kMaxPacketSize) return EncodeError::kPacketTooLong;

  std::vector<std::uint8_t> bytes;
  bytes.reserve(size);
  bytes.push_back(static_cast<std::uint8_t>(packet.code));
  bytes.push_back(packet.identifier);
  bytes.push_back(static_cast<std::uint8_t>(size >> 8));
  bytes.push_back(static_cast<std::uint8_t>(size & 0xff));
  bytes.insert(bytes.end(), packet.authenticator.begin(), packet.authenticator.end());
  for (const Attribute& attribute : packet.attributes) {
    bytes.push_back(attribute.type);
    bytes.push_back(static_cast<std::uint8_t>(kAttributeHeaderSize + attribute.value.size()));
    bytes.insert(bytes.end(), attribute.value.begin(), attribute.value.end());
  }
  return bytes;
}

std::string_view ReasonName(DecodeError reason) {
  switch (reason) {
    case DecodeError::kShortPacket:
      return "short_packet";
    case DecodeError::kLengthBelowMinimum:
      return "length_below_minimum";
    case DecodeError::kLengthAboveMaximum:
      return "length_above_maximum";
    case DecodeError::kLengthExceedsDatagram:
      return "length_exceeds_datagram";
    case DecodeError::kAttributeLengthBelowMinimum:
      return "attribute_length_below_minimum";
    case DecodeError::kAttributeOverrun:
      return "attribute_overrun";
  }
  return "unknown";
}

std::string_view ReasonName(EncodeError reason) {
  switch (reason) {
    case EncodeError::kAttributeTooLong:
      return "attribute_too_long";
    case EncodeError::kPacketTooLong:
      return "packet_too_long";
  }
  return "unknown";
}

}  // namespace atmwatch::radius
