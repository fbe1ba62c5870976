#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "radius/radius_packet.h"

// Byte-level helpers shared by the codec's tests.
namespace atmwatch::radius::test_support {

// "04 2a 00 64" -> {0x04, 0x2a, 0x00, 0x64}; whitespace between octets is
// ignored so RFC hex dumps can be pasted line by line.
inline std::vector<std::uint8_t> HexBytes(std::string_view hex) {
  auto nibble = [](char c) -> std::uint8_t {
    if (c >= '0' && c <= '9') return c - '0';
    return (c | 0x20) - 'a' + 10;
  };
  std::vector<std::uint8_t> bytes;
  int pending = -1;
  for (char c : hex) {
    if (c == ' ' || c == '\n') continue;
    if (pending < 0) {
      pending = nibble(c);
    } else {
      bytes.push_back(static_cast<std::uint8_t>(pending << 4 | nibble(c)));
      pending = -1;
    }
  }
  return bytes;
}

inline Authenticator HexAuthenticator(std::string_view hex) {
  Authenticator authenticator{};
  const std::vector<std::uint8_t> bytes = HexBytes(hex);
  std::copy_n(bytes.begin(), authenticator.size(), authenticator.begin());
  return authenticator;
}

inline Attribute IntegerAttribute(std::uint8_t type, std::uint32_t value) {
  return {type,
          {static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
           static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)}};
}

inline Attribute StringAttribute(std::uint8_t type, std::string_view value) {
  return {type, {value.begin(), value.end()}};
}

// A hand-assembled Accounting-Request (RFC 2866 §3), Interim-Update for line
// 819012345678, signed with kSecret. The authenticator octets were computed
// outside this code base: the same 100 octets with a zero authenticator,
// followed by the secret, piped through coreutils `md5sum`.
inline constexpr std::string_view kSecret = "s3cr3t-atm";
inline constexpr std::string_view kInterimRequestAuthenticator =
    "2c 4e f9 06 b0 15 64 ac cf d1 04 a3 e4 c0 bd b9";
inline constexpr std::string_view kInterimRequestAttributes =
    "28 06 00 00 00 03"                          // Acct-Status-Type = Interim-Update
    "2c 0a 35 41 31 42 30 30 30 31"              // Acct-Session-Id = "5A1B0001"
    "1f 0e 38 31 39 30 31 32 33 34 35 36 37 38"  // Calling-Station-Id = "819012345678"
    "20 0e 64 6f 63 6f 6d 6f 2d 67 67 73 6e 31"  // NAS-Identifier = "docomo-ggsn1"
    "08 06 0a 14 1e 28"                          // Framed-IP-Address = 10.20.30.40
    "2a 06 00 00 00 05"                          // Acct-Input-Octets = 5
    "34 06 00 00 00 01"                          // Acct-Input-Gigawords = 1
    "2b 06 00 00 03 e8"                          // Acct-Output-Octets = 1000
    "2e 06 00 00 02 58"                          // Acct-Session-Time = 600
    "29 06 00 00 00 02";                         // Acct-Delay-Time = 2

// Code 4, Identifier 0x2a, Length 100, then the authenticator and attributes.
inline std::vector<std::uint8_t> InterimRequestBytes() {
  std::vector<std::uint8_t> bytes = HexBytes("04 2a 00 64");
  for (std::string_view part : {kInterimRequestAuthenticator, kInterimRequestAttributes}) {
    const std::vector<std::uint8_t> more = HexBytes(part);
    bytes.insert(bytes.end(), more.begin(), more.end());
  }
  return bytes;
}

}  // namespace atmwatch::radius::test_support
