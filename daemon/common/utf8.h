#pragma once

#include <cstdint>
#include <string_view>

namespace atmwatch {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF). Protobuf refuses to parse a string
// field that is not, so text from outside (config files, journal lines,
// RADIUS attributes) is checked with this before it goes into an event or a
// snapshot: one bad string would make the whole Batch, or the snapshot,
// unreadable.
inline bool IsValidUtf8(std::string_view text);

// The offset of the first byte that starts no well-formed UTF-8 sequence,
// or std::string_view::npos when `text` is well-formed: what an error says
// instead of echoing the bytes.
inline std::size_t FirstInvalidUtf8Byte(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint8_t low = 0x80;  // range of the second byte
    std::uint8_t high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) low = 0xa0;   // overlong
      if (lead == 0xed) high = 0x9f;  // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) low = 0x90;   // overlong
      if (lead == 0xf4) high = 0x8f;  // above U+10FFFF
    } else {
      return i;
    }
    if (text.size() - i < length) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto byte = static_cast<std::uint8_t>(text[i + k]);
      const std::uint8_t min = k == 1 ? low : 0x80;
      const std::uint8_t max = k == 1 ? high : 0xbf;
      if (byte < min || byte > max) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

inline bool IsValidUtf8(std::string_view text) {
  return FirstInvalidUtf8Byte(text) == std::string_view::npos;
}

}  // namespace atmwatch
