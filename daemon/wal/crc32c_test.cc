#include "wal/crc32c.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace atmwatch::wal::crc32c {
namespace {

std::string Bytes(size_t n, auto byte_at) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(byte_at(i));
  return s;
}

// RFC 3720, appendix B.4.
TEST(Crc32cTest, IscsiVectors) {
  EXPECT_EQ(0x8a9136aau, Value(Bytes(32, [](size_t) { return 0x00; })));
  EXPECT_EQ(0x62a8ab43u, Value(Bytes(32, [](size_t) { return 0xff; })));
  EXPECT_EQ(0x46dd794eu, Value(Bytes(32, [](size_t i) { return i; })));
  EXPECT_EQ(0x113fdb5cu, Value(Bytes(32, [](size_t i) { return 31 - i; })));
}

TEST(Crc32cTest, CheckValue) { EXPECT_EQ(0xe3069283u, Value("123456789")); }

TEST(Crc32cTest, EmptyIsZero) { EXPECT_EQ(0u, Value("")); }

TEST(Crc32cTest, DifferentInputsDiffer) { EXPECT_NE(Value("a"), Value("foo")); }

TEST(Crc32cTest, ExtendEqualsValueOfConcatenation) {
  EXPECT_EQ(Value("hello world"), Extend(Value("hello "), "world"));
}

TEST(Crc32cTest, MaskChangesAndUnmaskRestores) {
  const uint32_t crc = Value("foo");
  EXPECT_NE(crc, Mask(crc));
  EXPECT_NE(crc, Mask(Mask(crc)));
  EXPECT_EQ(crc, Unmask(Mask(crc)));
  EXPECT_EQ(crc, Unmask(Unmask(Mask(Mask(crc)))));
}

// Lengths and start offsets around the 8-byte steps of both loops.
TEST(Crc32cTest, PortableAndSse42Agree) {
  if (!HasSse42()) GTEST_SKIP() << "CPU without SSE4.2";
  std::mt19937 rng(42);
  std::string data(4096, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t start = 0; start < 9; ++start) {
    for (size_t n = 0; n < 300; ++n) {
      const std::string_view piece(data.data() + start, n);
      ASSERT_EQ(ExtendPortable(0x12345678u, piece), ExtendSse42(0x12345678u, piece))
          << "start " << start << " n " << n;
    }
  }
  EXPECT_EQ(ExtendPortable(0, data), ExtendSse42(0, data));
}

TEST(Crc32cTest, PortablePassesIscsiVectors) {
  EXPECT_EQ(0x46dd794eu, ExtendPortable(0, Bytes(32, [](size_t i) { return i; })));
  EXPECT_EQ(0xe3069283u, ExtendPortable(0, "123456789"));
}

}  // namespace
}  // namespace atmwatch::wal::crc32c
