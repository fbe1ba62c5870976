#pragma once

// The on-disk layout of one WAL segment file, shared by LogWriter and
// LogReader. The prose spec, with a worked example, is docs/wal-format.md.

#include <cstddef>
#include <cstdint>

namespace atmwatch::wal {

enum RecordType : uint8_t {
  // Never written: a zeroed region of a file is damage, not a record.
  kZeroType = 0,

  kFullType = 1,

  // A record too long for the rest of its block is split into fragments.
  kFirstType = 2,
  kMiddleType = 3,
  kLastType = 4,
};
inline constexpr uint8_t kMaxRecordType = kLastType;

inline constexpr size_t kBlockSize = 32 * 1024;

// Masked CRC-32C of type + payload (4 bytes, little endian), payload length
// (2 bytes, little endian), type (1 byte). A block's last 6 bytes cannot hold
// a header, so a record never starts there: they are a zero-filled trailer.
inline constexpr size_t kHeaderSize = 4 + 2 + 1;

inline void EncodeFixed32(char* dst, uint32_t value) {
  for (int i = 0; i < 4; ++i) dst[i] = static_cast<char>(value >> (8 * i));
}

inline uint32_t DecodeFixed32(const char* src) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= uint32_t{static_cast<uint8_t>(src[i])} << (8 * i);
  return value;
}

}  // namespace atmwatch::wal
