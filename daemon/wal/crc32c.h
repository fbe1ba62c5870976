#pragma once

// CRC-32C (Castagnoli, the iSCSI polynomial), the checksum of WAL records.
// Pure functions, safe from any thread. Extend() uses the SSE4.2 crc32
// instruction when the CPU has it and a table-driven loop otherwise; both
// give the same answers.

#include <cstdint>
#include <string_view>

namespace atmwatch::wal::crc32c {

// Returns the CRC-32C of A + data, given crc = the CRC-32C of A.
uint32_t Extend(uint32_t crc, std::string_view data);

inline uint32_t Value(std::string_view data) { return Extend(0, data); }

// A CRC stored next to the data it covers is masked: the CRC of a string
// that itself embeds CRCs is otherwise prone to degenerate values.
inline constexpr uint32_t kMaskDelta = 0xa282ead8u;

inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }

inline uint32_t Unmask(uint32_t masked) {
  const uint32_t rotated = masked - kMaskDelta;
  return (rotated >> 17) | (rotated << 15);
}

// The two implementations behind Extend(), public so tests can hold them to
// the same answers. ExtendSse42 may only be called when HasSse42().
uint32_t ExtendPortable(uint32_t crc, std::string_view data);
bool HasSse42();
uint32_t ExtendSse42(uint32_t crc, std::string_view data);

}  // namespace atmwatch::wal::crc32c
