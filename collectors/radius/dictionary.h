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
