#include "client/daemon_link_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

namespace atmwatch::client {
namespace {

using ::testing::HasSubstr;

std::string Exposition(prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

TEST(DaemonLinkMetricsTest, EveryCollectorCountsUnderOneNameWithItsLabel) {
  prometheus::Registry registry;
  DaemonLinkMetrics radius(registry, "radius");
  DaemonLinkMetrics journal(registry, "journal");
  radius.CountAck(3, 1);
  radius.CountRejection("unknown_atm");
  radius.CountRejection("unknown_atm");
  journal.CountAck(40, 0);
  journal.CountRefusal();

  const std::string text = Exposition(registry);
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(atmwatch_collector_daemon_events_total{collector="radius",result="accepted"} 3)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(atmwatch_collector_daemon_events_total{collector="radius",result="duplicate"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(atmwatch_collector_daemon_events_total{collector="journal",result="accepted"} 40)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(atmwatch_collector_daemon_rejections_total{collector="radius",reason="unknown_atm"} 2)"));
  EXPECT_THAT(text,
              HasSubstr(R"(atmwatch_collector_daemon_refusals_total{collector="journal"} 1)"));
  // Zero from the start, so that increase() sees the first refusal.
  EXPECT_THAT(text, HasSubstr(R"(atmwatch_collector_daemon_refusals_total{collector="radius"} 0)"));
}

}  // namespace
}  // namespace atmwatch::client
