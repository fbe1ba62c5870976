#include "jetstream/consumer_name.h"

#include <gtest/gtest.h>

namespace atmwatch::jetstream {
namespace {

TEST(ConsumerNameTest, SpellsOutWhatNatsRefusesInNames) {
  EXPECT_EQ(ConsumerName("atmwatchd-east", "atmwatch.events.kanto"),
            "atmwatchd-east_atmwatch_events_kanto");
  EXPECT_EQ(ConsumerName("east", "atmwatch.*.kanto"), "east_atmwatch_any_kanto");
  EXPECT_EQ(ConsumerName("east", "atmwatch.events.>"), "east_atmwatch_events_all");
}

TEST(ConsumerNameTest, DependsOnBothDaemonAndSubject) {
  EXPECT_NE(ConsumerName("east", "a.b"), ConsumerName("west", "a.b"));
  EXPECT_NE(ConsumerName("east", "a.b"), ConsumerName("east", "a.c"));
}

}  // namespace
}  // namespace atmwatch::jetstream
