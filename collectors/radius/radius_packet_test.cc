#include "radius/radius_packet.h"

#include <gtest/gtest.h>

#include <set>

#include "radius/radius_test_support.h"

namespace atmwatch::radius {
namespace {

using test_support::HexBytes;
using test_support::InterimRequestBytes;

// RFC 2865 §7.1: the Access-Request of user "nemo" from NAS 192.168.1.16.
constexpr std::string_view kRfc2865AccessRequest =
    "01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb"
    "98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d"
    "93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8"
    "01 10 05 06 00 00 00 03";

void SetLengthField(std::vector<std::uint8_t>* bytes, std::size_t length) {
  (*bytes)[2] = static_cast<std::uint8_t>(length >> 8);
  (*bytes)[3] = static_cast<std::uint8_t>(length);
}

// `datagram_size` zero octets but for Code 4 and a Length field of `length`.
std::vector<std::uint8_t> HeaderWithLength(std::size_t length, std::size_t datagram_size) {
  std::vector<std::uint8_t> bytes(datagram_size, 0);
  bytes[0] = 4;
  SetLengthField(&bytes, length);
  return bytes;
}

DecodeFailure ExpectFailure(std::span<const std::uint8_t> datagram) {
  auto result = DecodePacket(datagram);
  EXPECT_FALSE(result.ok());
  return result.ok() ? DecodeFailure{} : result.error();
}

TEST(RadiusPacketTest, DecodesRfc2865AccessRequestExample) {
  auto packet = DecodePacket(HexBytes(kRfc2865AccessRequest));

  ASSERT_TRUE(packet.ok());
  EXPECT_EQ(packet->code, Code::kAccessRequest);
  EXPECT_EQ(packet->identifier, 0);
  EXPECT_EQ(packet->authenticator,
            test_support::HexAuthenticator("0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a"));
  ASSERT_EQ(packet->attributes.size(), 4u);
  EXPECT_EQ(packet->attributes[0], test_support::StringAttribute(1, "nemo"));  // User-Name
  EXPECT_EQ(packet->attributes[1].type, 2);                                    // User-Password
  EXPECT_EQ(packet->attributes[1].value.size(), 16u);
  EXPECT_EQ(packet->attributes[2].value, HexBytes("c0 a8 01 10"));         // NAS-IP-Address
  EXPECT_EQ(packet->attributes[3], test_support::IntegerAttribute(5, 3));  // NAS-Port
}

TEST(RadiusPacketTest, EncodeGivesBackTheDecodedOctets) {
  for (const std::vector<std::uint8_t>& wire :
       {HexBytes(kRfc2865AccessRequest), InterimRequestBytes()}) {
    auto packet = DecodePacket(wire);
    ASSERT_TRUE(packet.ok());
    auto encoded = EncodePacket(*packet);
    ASSERT_TRUE(encoded.ok());
    EXPECT_EQ(*encoded, wire);
    EXPECT_EQ(EncodedSize(*packet), wire.size());
  }
}

TEST(RadiusPacketTest, DecodeGivesBackTheEncodedPacket) {
  const Packet packet{
      .code = Code::kAccountingRequest,
      .identifier = 200,
      .authenticator =
          test_support::HexAuthenticator("00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff"),
      .attributes = {test_support::IntegerAttribute(40, 1),
                     {26, {0, 0, 0x28, 0xaf, 1, 3, 'x'}},
                     {200, {}}},
  };
  auto encoded = EncodePacket(packet);
  ASSERT_TRUE(encoded.ok());

  auto decoded = DecodePacket(*encoded);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, packet);
}

TEST(RadiusPacketTest, OctetsBeyondLengthArePaddingAndIgnored) {
  std::vector<std::uint8_t> wire = InterimRequestBytes();
  const auto expected = DecodePacket(wire);
  ASSERT_TRUE(expected.ok());
  // Padding that looks like a broken attribute must not be read.
  wire.insert(wire.end(), {0x1f, 0xff, 0x00});

  auto padded = DecodePacket(wire);
  ASSERT_TRUE(padded.ok());
  EXPECT_EQ(*padded, *expected);
}

// Each prefix is copied into a buffer of its own exact size, so reading past
// it is a heap overflow that the sanitizer build reports.
TEST(RadiusPacketTest, EveryTruncatedDatagramIsRejected) {
  const std::vector<std::uint8_t> wire = InterimRequestBytes();
  for (std::size_t size = 0; size < wire.size(); ++size) {
    SCOPED_TRACE(size);
    const std::vector<std::uint8_t> prefix(wire.begin(), wire.begin() + size);
    const DecodeFailure failure = ExpectFailure(prefix);
    EXPECT_EQ(failure.reason,
              size < kHeaderSize ? DecodeError::kShortPacket : DecodeError::kLengthExceedsDatagram);
  }
}

// The same cuts, but with the Length field rewritten to match: a cut on an
// attribute boundary is a shorter valid packet, any other cut an overrun.
TEST(RadiusPacketTest, EveryShortenedLengthEndsOnAnAttributeOrIsRejected) {
  const std::vector<std::uint8_t> wire = InterimRequestBytes();
  const auto whole = DecodePacket(wire);
  ASSERT_TRUE(whole.ok());
  std::set<std::size_t> boundaries = {kHeaderSize};
  std::size_t end = kHeaderSize;
  for (const Attribute& attribute : whole->attributes) {
    end += kAttributeHeaderSize + attribute.value.size();
    boundaries.insert(end);
  }

  for (std::size_t size = kHeaderSize; size < wire.size(); ++size) {
    SCOPED_TRACE(size);
    std::vector<std::uint8_t> prefix(wire.begin(), wire.begin() + size);
    SetLengthField(&prefix, size);
    auto packet = DecodePacket(prefix);
    if (boundaries.contains(size)) {
      ASSERT_TRUE(packet.ok());
      EXPECT_EQ(EncodedSize(*packet), size);
      const std::vector<Attribute> leading(whole->attributes.begin(),
                                           whole->attributes.begin() + packet->attributes.size());
      EXPECT_EQ(packet->attributes, leading);
    } else {
      ASSERT_FALSE(packet.ok());
      EXPECT_EQ(packet.error().reason, DecodeError::kAttributeOverrun);
    }
  }
}

TEST(RadiusPacketTest, LengthBelowTwentyIsRejected) {
  for (std::size_t length : {0, 1, 19}) {
    SCOPED_TRACE(length);
    const DecodeFailure failure = ExpectFailure(HeaderWithLength(length, kHeaderSize));
    EXPECT_EQ(failure.reason, DecodeError::kLengthBelowMinimum);
    EXPECT_EQ(failure.offset, 2u);
  }
}

TEST(RadiusPacketTest, LengthAbove4096IsRejectedEvenWhenTheDatagramHoldsIt) {
  EXPECT_EQ(ExpectFailure(HeaderWithLength(4097, 4097)).reason, DecodeError::kLengthAboveMaximum);
  EXPECT_EQ(ExpectFailure(HeaderWithLength(0xffff, 20)).reason, DecodeError::kLengthAboveMaximum);
}

TEST(RadiusPacketTest, PacketOfExactly4096OctetsIsAccepted) {
  Packet packet;
  // After the 20-octet header, 15 attributes of 255 octets and one of 251.
  packet.attributes.assign(15, Attribute{200, std::vector<std::uint8_t>(253, 0x5a)});
  packet.attributes.push_back(Attribute{201, std::vector<std::uint8_t>(249, 0xa5)});
  auto encoded = EncodePacket(packet);
  ASSERT_TRUE(encoded.ok());
  ASSERT_EQ(encoded->size(), kMaxPacketSize);

  auto decoded = DecodePacket(*encoded);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, packet);
}

TEST(RadiusPacketTest, AttributeLengthBelowTwoIsRejected) {
  for (std::uint8_t attribute_length : {0, 1}) {
    SCOPED_TRACE(attribute_length);
    std::vector<std::uint8_t> wire = HeaderWithLength(26, 26);
    wire[20] = 40;
    wire[21] = attribute_length;
    const DecodeFailure failure = ExpectFailure(wire);
    EXPECT_EQ(failure.reason, DecodeError::kAttributeLengthBelowMinimum);
    EXPECT_EQ(failure.offset, 21u);
  }
}

TEST(RadiusPacketTest, AttributeRunningPastLengthIsRejectedThoughPaddingFollows) {
  // The attribute claims 8 octets; the packet's Length leaves it 6, and the
  // 2 octets of padding after it must not be borrowed.
  std::vector<std::uint8_t> wire = HeaderWithLength(26, 28);
  wire[20] = 40;
  wire[21] = 8;
  const DecodeFailure failure = ExpectFailure(wire);
  EXPECT_EQ(failure.reason, DecodeError::kAttributeOverrun);
  EXPECT_EQ(failure.offset, 21u);
}

TEST(RadiusPacketTest, LoneTrailingOctetIsAnOverrun) {
  std::vector<std::uint8_t> wire = HeaderWithLength(21, 21);
  wire[20] = 40;
  const DecodeFailure failure = ExpectFailure(wire);
  EXPECT_EQ(failure.reason, DecodeError::kAttributeOverrun);
  EXPECT_EQ(failure.offset, 20u);
}

// Whether an empty value is acceptable depends on the attribute's type, which
// the record parser knows; the packet itself is well formed.
TEST(RadiusPacketTest, EmptyAttributeValueIsWellFormed) {
  std::vector<std::uint8_t> wire = HeaderWithLength(22, 22);
  wire[20] = 1;
  wire[21] = 2;
  auto packet = DecodePacket(wire);
  ASSERT_TRUE(packet.ok());
  ASSERT_EQ(packet->attributes.size(), 1u);
  EXPECT_TRUE(packet->attributes[0].value.empty());
}

TEST(RadiusPacketTest, VendorSpecificIsKeptRawWhateverItHolds) {
  // Vendor 10415 (3GPP) with a vendor sub-attribute whose own length (0x7f)
  // is nonsense: not ours to judge.
  std::vector<std::uint8_t> wire = HeaderWithLength(30, 30);
  const std::vector<std::uint8_t> vsa = HexBytes("1a 0a 00 00 28 af 01 7f 41 42");
  std::copy(vsa.begin(), vsa.end(), wire.begin() + 20);

  auto packet = DecodePacket(wire);
  ASSERT_TRUE(packet.ok());
  ASSERT_EQ(packet->attributes.size(), 1u);
  EXPECT_EQ(packet->attributes[0].type, 26);
  EXPECT_EQ(packet->attributes[0].value, HexBytes("00 00 28 af 01 7f 41 42"));
}

TEST(RadiusPacketTest, EncodeRefusesValueLongerThan253Octets) {
  Packet packet;
  packet.attributes.push_back(Attribute{1, std::vector<std::uint8_t>(253, 'a')});
  EXPECT_TRUE(EncodePacket(packet).ok());

  packet.attributes[0].value.push_back('a');
  auto encoded = EncodePacket(packet);
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.error(), EncodeError::kAttributeTooLong);
}

TEST(RadiusPacketTest, EncodeRefusesPacketLongerThan4096Octets) {
  Packet packet;
  packet.attributes.assign(15, Attribute{200, std::vector<std::uint8_t>(253, 0)});
  packet.attributes.push_back(Attribute{201, std::vector<std::uint8_t>(250, 0)});
  ASSERT_EQ(EncodedSize(packet), kMaxPacketSize + 1);

  auto encoded = EncodePacket(packet);
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.error(), EncodeError::kPacketTooLong);
}

TEST(RadiusPacketTest, ReasonNamesAreDistinct) {
  std::set<std::string_view> names;
  for (DecodeError reason :
       {DecodeError::kShortPacket, DecodeError::kLengthBelowMinimum,
        DecodeError::kLengthAboveMaximum, DecodeError::kLengthExceedsDatagram,
        DecodeError::kAttributeLengthBelowMinimum, DecodeError::kAttributeOverrun}) {
    names.insert(ReasonName(reason));
  }
  for (EncodeError reason : {EncodeError::kAttributeTooLong, EncodeError::kPacketTooLong}) {
    names.insert(ReasonName(reason));
  }
  EXPECT_EQ(names.size(), 8u);
  EXPECT_FALSE(names.contains("unknown"));
}

}  // namespace
}  // namespace atmwatch::radius
