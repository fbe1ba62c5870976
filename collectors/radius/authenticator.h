#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "radius/radius_packet.h"

// Authenticators keyed by the shared secret (RFC 2866 §3, RFC 2865 §3):
//   Request  = MD5(Code + Identifier + Length + 16 zero octets + Attributes + Secret)
//   Response = MD5(Code + Identifier + Length + Request Authenticator + Attributes + Secret)
// Each digest is taken over the octets EncodePacket would write, so a packet
// that cannot be encoded has no authenticator (nullopt / false). So does any
// packet when the crypto library refuses MD5 (e.g. OpenSSL in FIPS mode).
// Thread-safe; no state is kept between calls.
namespace atmwatch::radius {

std::optional<Authenticator> ComputeAccountingRequestAuthenticator(const Packet& request,
                                                                   std::string_view secret);

// True when the request's authenticator was made with `secret`. The compare
// takes the same time wherever the first difference is, so timing tells a
// forger nothing.
bool VerifyAccountingRequest(const Packet& request, std::string_view secret);

// For any reply (Accounting-Response, Access-Accept, ...) to the request that
// carried `request_authenticator`; `response.authenticator` is not read.
std::optional<Authenticator> ComputeResponseAuthenticator(
    const Packet& response, const Authenticator& request_authenticator, std::string_view secret);

// The complete Accounting-Response datagram that acknowledges `request`:
// its Proxy-State attributes, unmodified and in order (RFC 2866 §5, RFC 2865
// §5.33: a proxy finds its own state in the answer), and nothing else.
std::optional<std::vector<std::uint8_t>> EncodeAccountingResponse(const Packet& request,
                                                                  std::string_view secret);

}  // namespace atmwatch::radius
