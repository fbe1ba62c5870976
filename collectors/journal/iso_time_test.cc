#include "journal/iso_time.h"

#include <gtest/gtest.h>

namespace atmwatch::journal {
namespace {

TEST(IsoTime, OffsetIsSubtractedToGetUtc) {
  // 2026-11-25T09:03:11Z
  EXPECT_EQ(ParseIsoTimeMs("2026-11-25T18:03:11+09:00"), 1795597391000);
  EXPECT_EQ(ParseIsoTimeMs("2026-11-25T09:03:11Z"), 1795597391000);
  EXPECT_EQ(ParseIsoTimeMs("2026-11-25T04:03:11-05:00"), 1795597391000);
  EXPECT_EQ(ParseIsoTimeMs("2026-11-25T18:03:11+0900"), 1795597391000);
}

TEST(IsoTime, FractionsAreMillisecondsTruncated) {
  EXPECT_EQ(ParseIsoTimeMs("2026-11-25T09:03:11.25Z"), 1795597391250);
  EXPECT_EQ(ParseIsoTimeMs("2026-11-25T09:03:11.123999Z"), 1795597391123);
}

TEST(IsoTime, SpaceMaySeparateDateAndTime) {
  EXPECT_EQ(ParseIsoTimeMs("2026-11-25 09:03:11Z"), 1795597391000);
}

TEST(IsoTime, LeapDayAndEpoch) {
  EXPECT_EQ(ParseIsoTimeMs("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseIsoTimeMs("2024-02-29T00:00:00Z"), 1709164800000);
}

TEST(IsoTime, RefusesTimesWithoutZoneOrOutOfRange) {
  EXPECT_FALSE(ParseIsoTimeMs("2026-11-25T09:03:11"));
  EXPECT_FALSE(ParseIsoTimeMs("2026-02-29T09:03:11Z"));
  EXPECT_FALSE(ParseIsoTimeMs("2026-13-01T09:03:11Z"));
  EXPECT_FALSE(ParseIsoTimeMs("2026-11-25T24:00:00Z"));
  EXPECT_FALSE(ParseIsoTimeMs("2026-11-25T09:03:11Zjunk"));
  EXPECT_FALSE(ParseIsoTimeMs("1795597391"));
  EXPECT_FALSE(ParseIsoTimeMs(""));
}

}  // namespace
}  // namespace atmwatch::journal
