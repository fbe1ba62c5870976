#include "radius/open_session_index.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace atmwatch::radius {
namespace {

std::vector<std::string> Sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST(OpenSessionIndexTest, AccountingOnTakesTheLinesOfThatNasOnly) {
  OpenSessionIndex index(100);
  index.Open("10.0.0.1/ggsn1", "L1", "s1");
  index.Open("10.0.0.1/ggsn1", "L2", "s2");
  index.Open("10.0.0.1/ggsn2", "L3", "s3");
  EXPECT_EQ(Sorted(index.TakeLines("10.0.0.1/ggsn1")), (std::vector<std::string>{"L1", "L2"}));
  EXPECT_TRUE(index.TakeLines("10.0.0.1/ggsn1").empty());
  EXPECT_EQ(index.size(), 1u);
}

TEST(OpenSessionIndexTest, StoppedSessionsAreForgotten) {
  OpenSessionIndex index(100);
  index.Open("nas", "L1", "s1");
  index.Close("L1", "s1");
  EXPECT_TRUE(index.TakeLines("nas").empty());
}

TEST(OpenSessionIndexTest, StopOfAnOlderSessionKeepsTheNewerOne) {
  OpenSessionIndex index(100);
  index.Open("nas", "L1", "s1");
  index.Open("nas", "L1", "s2");
  index.Close("L1", "s1");
  EXPECT_EQ(index.TakeLines("nas"), (std::vector<std::string>{"L1"}));
}

TEST(OpenSessionIndexTest, LineThatMovedBelongsToItsNewNas) {
  OpenSessionIndex index(100);
  index.Open("nas-a", "L1", "s1");
  index.Open("nas-b", "L1", "s2");
  EXPECT_TRUE(index.TakeLines("nas-a").empty());
  EXPECT_EQ(index.TakeLines("nas-b"), (std::vector<std::string>{"L1"}));
}

TEST(OpenSessionIndexTest, FullIndexRefusesNewLinesButUpdatesKnownOnes) {
  OpenSessionIndex index(1);
  EXPECT_TRUE(index.Open("nas", "L1", "s1"));
  EXPECT_FALSE(index.Open("nas", "L2", "s2"));
  EXPECT_TRUE(index.Open("nas", "L1", "s3"));
  EXPECT_EQ(index.size(), 1u);
}

TEST(OpenSessionIndexTest, UnknownNasHasNoLines) {
  OpenSessionIndex index(10);
  EXPECT_TRUE(index.TakeLines("never-seen").empty());
}

}  // namespace
}  // namespace atmwatch::radius
