#pragma once

#include <cstdint>

// Attribute type numbers the accounting collector reads (RFC 2865 §5,
// RFC 2866 §5, RFC 2869 §5).
namespace atmwatch::radius::attribute {

inline constexpr std::uint8_t kUserName = 1;
inline constexpr std::uint8_t kNasIpAddress = 4;
inline constexpr std::uint8_t kFramedIpAddress = 8;
inline constexpr std::uint8_t kVendorSpecific = 26;
inline constexpr std::uint8_t kCallingStationId = 31;
inline constexpr std::uint8_t kNasIdentifier = 32;
inline constexpr std::uint8_t kProxyState = 33;
inline constexpr std::uint8_t kAcctStatusType = 40;
inline constexpr std::uint8_t kAcctDelayTime = 41;
inline constexpr std::uint8_t kAcctInputOctets = 42;
inline constexpr std::uint8_t kAcctOutputOctets = 43;
inline constexpr std::uint8_t kAcctSessionId = 44;
inline constexpr std::uint8_t kAcctSessionTime = 46;
inline constexpr std::uint8_t kAcctTerminateCause = 49;
inline constexpr std::uint8_t kAcctInputGigawords = 52;
inline constexpr std::uint8_t kAcctOutputGigawords = 53;
inline constexpr std::uint8_t kEventTimestamp = 55;

}  // namespace atmwatch::radius::attribute

namespace atmwatch::radius {

// A sub-attribute of Vendor-Specific (RFC 2865 §5.26) in the layout the RFC
// recommends: Vendor-Id(4), then Vendor-Type(1) Vendor-Length(1) Value.
struct VendorAttribute {
  std::uint32_t vendor = 0;  // IANA private enterprise number
  std::uint8_t type = 0;

  bool operator==(const VendorAttribute&) const = default;
};

}  // namespace atmwatch::radius
