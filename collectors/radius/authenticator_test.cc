#include "radius/authenticator.h"

#include <gtest/gtest.h>

#include "radius/dictionary.h"
#include "radius/radius_test_support.h"

namespace atmwatch::radius {
namespace {

using test_support::HexAuthenticator;
using test_support::HexBytes;
using test_support::IntegerAttribute;
using test_support::InterimRequestBytes;
using test_support::kSecret;
using test_support::StringAttribute;

Packet InterimRequest() {
  auto packet = DecodePacket(InterimRequestBytes());
  EXPECT_TRUE(packet.ok());
  return packet.ok() ? *packet : Packet{};
}

Packet SignedRequest(std::string_view secret) {
  Packet request;
  request.identifier = 7;
  request.attributes = {IntegerAttribute(attribute::kAcctStatusType, 1),
                        StringAttribute(attribute::kAcctSessionId, "S1")};
  request.authenticator = ComputeAccountingRequestAuthenticator(request, secret).value();
  return request;
}

// RFC 2865 §7.1: the Access-Accept answering the example Access-Request,
// shared secret "xyzzy5461". Its Response Authenticator is the same digest an
// Accounting-Response carries (RFC 2866 §3).
TEST(AuthenticatorTest, ResponseAuthenticatorMatchesRfc2865Example) {
  const Authenticator request_authenticator =
      HexAuthenticator("0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a");
  auto accept =
      DecodePacket(HexBytes("02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2"
                            "06 06 00 00 00 01 0f 06 00 00 00 00 0e 06 c0 a8 01 03"));
  ASSERT_TRUE(accept.ok());

  EXPECT_EQ(ComputeResponseAuthenticator(*accept, request_authenticator, "xyzzy5461"),
            accept->authenticator);
}

TEST(AuthenticatorTest, RequestAuthenticatorMatchesIndependentMd5) {
  Packet request = InterimRequest();
  const Authenticator on_the_wire = request.authenticator;
  request.authenticator.fill(0xee);  // must not enter the digest

  EXPECT_EQ(ComputeAccountingRequestAuthenticator(request, kSecret),
            HexAuthenticator(test_support::kInterimRequestAuthenticator));
  EXPECT_EQ(on_the_wire, HexAuthenticator(test_support::kInterimRequestAuthenticator));
}

TEST(AuthenticatorTest, VerifyAcceptsRequestSignedWithTheSecret) {
  EXPECT_TRUE(VerifyAccountingRequest(InterimRequest(), kSecret));
  EXPECT_TRUE(VerifyAccountingRequest(SignedRequest("another secret"), "another secret"));
}

TEST(AuthenticatorTest, VerifyRefusesRequestSignedWithAnotherSecret) {
  EXPECT_FALSE(VerifyAccountingRequest(InterimRequest(), "s3cr3t-atn"));
  EXPECT_FALSE(VerifyAccountingRequest(InterimRequest(), ""));
  EXPECT_FALSE(VerifyAccountingRequest(SignedRequest("wrong secret"), kSecret));
}

TEST(AuthenticatorTest, VerifyRefusesAllZeroAuthenticator) {
  Packet request = InterimRequest();
  request.authenticator.fill(0);
  EXPECT_FALSE(VerifyAccountingRequest(request, kSecret));
}

// Flipping any single bit of the datagram either breaks its framing or its
// signature; no altered packet passes as authentic.
TEST(AuthenticatorTest, VerifyRefusesEveryAlteredOctet) {
  const std::vector<std::uint8_t> wire = InterimRequestBytes();
  for (std::size_t offset = 0; offset < wire.size(); ++offset) {
    for (std::uint8_t bit : {0x01, 0x80}) {
      SCOPED_TRACE(::testing::Message() << "offset " << offset << " bit " << int{bit});
      std::vector<std::uint8_t> altered = wire;
      altered[offset] ^= bit;
      auto packet = DecodePacket(altered);
      if (packet.ok()) {
        EXPECT_FALSE(VerifyAccountingRequest(*packet, kSecret));
      }
    }
  }
}

TEST(AuthenticatorTest, AccountingResponseIsSignedOverTheRequestAuthenticator) {
  // Expected octets: Code 5, the request's Identifier, Length 20, and
  // md5sum of "05 2a 00 14" + request authenticator + secret.
  EXPECT_EQ(EncodeAccountingResponse(InterimRequest(), kSecret),
            HexBytes("05 2a 00 14 11 1b 33 d6 39 cd e1 5a 38 a0 94 14 f8 6c f3 ab"));
}

TEST(AuthenticatorTest, AccountingResponseAnswersWithTheRequestIdentifier) {
  const Packet request = SignedRequest(kSecret);
  auto response_bytes = EncodeAccountingResponse(request, kSecret);
  ASSERT_TRUE(response_bytes.has_value());
  auto response = DecodePacket(*response_bytes);
  ASSERT_TRUE(response.ok());

  EXPECT_EQ(response->code, Code::kAccountingResponse);
  EXPECT_EQ(response->identifier, request.identifier);
  EXPECT_TRUE(response->attributes.empty());
  EXPECT_EQ(ComputeResponseAuthenticator(*response, request.authenticator, kSecret),
            response->authenticator);
}

// Behind a proxy: every Proxy-State comes back as it was, in order, and the
// Response Authenticator covers them; no other attribute is echoed.
TEST(AuthenticatorTest, AccountingResponseCarriesTheProxyStatesInOrder) {
  Packet request;
  request.identifier = 9;
  request.attributes = {StringAttribute(attribute::kProxyState, "proxy-b"),
                        IntegerAttribute(attribute::kAcctStatusType, 1),
                        StringAttribute(attribute::kAcctSessionId, "S1"),
                        Attribute{attribute::kProxyState, {0x00, 0xff, 0x10}},
                        StringAttribute(attribute::kProxyState, "proxy-a")};
  request.authenticator = ComputeAccountingRequestAuthenticator(request, kSecret).value();

  auto response_bytes = EncodeAccountingResponse(request, kSecret);
  ASSERT_TRUE(response_bytes.has_value());
  EXPECT_EQ(response_bytes->size(), 20u + 9 + 5 + 9);
  auto response = DecodePacket(*response_bytes);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->code, Code::kAccountingResponse);
  EXPECT_EQ(response->attributes,
            (std::vector<Attribute>{request.attributes[0], request.attributes[3],
                                    request.attributes[4]}));
  EXPECT_EQ(ComputeResponseAuthenticator(*response, request.authenticator, kSecret),
            response->authenticator);
  // The bare header's authenticator would not do.
  Packet bare = *response;
  bare.attributes.clear();
  EXPECT_NE(ComputeResponseAuthenticator(bare, request.authenticator, kSecret),
            response->authenticator);
}

TEST(AuthenticatorTest, UnencodablePacketHasNoAuthenticator) {
  Packet request = SignedRequest(kSecret);
  request.attributes.push_back(Attribute{1, std::vector<std::uint8_t>(254, 'a')});

  EXPECT_EQ(ComputeAccountingRequestAuthenticator(request, kSecret), std::nullopt);
  EXPECT_FALSE(VerifyAccountingRequest(request, kSecret));
  EXPECT_EQ(ComputeResponseAuthenticator(request, Authenticator{}, kSecret), std::nullopt);
}

}  // namespace
}  // namespace atmwatch::radius
