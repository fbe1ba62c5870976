#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <string>

// What the daemon answered a collector, under one name for every collector
// and a `collector` label ("radius", "journal"), so that one alert or panel
// covers them all:
//
//   atmwatch_collector_daemon_events_total{collector, result}   accepted, duplicate
//   atmwatch_collector_daemon_rejections_total{collector, reason}
//   atmwatch_collector_daemon_refusals_total{collector}
//
// Thread-safe. `registry` must outlive this object.
namespace atmwatch::client {

class DaemonLinkMetrics {
 public:
  DaemonLinkMetrics(prometheus::Registry& registry, const std::string& collector);

  // The events of one Ack: applied, or already applied before.
  void CountAck(std::uint32_t accepted, std::uint32_t duplicates);
  // An event the daemon refused for good, by the daemon's reason (not known
  // in advance, so its series appears when first seen).
  void CountRejection(const std::string& reason);
  // An attempt the daemon refused as UNAUTHENTICATED.
  void CountRefusal();

 private:
  const std::string collector_;
  prometheus::Family<prometheus::Counter>& events_;
  prometheus::Counter& accepted_;
  prometheus::Counter& duplicates_;
  prometheus::Family<prometheus::Counter>& rejections_;
  prometheus::Counter& refusals_;
};

}  // namespace atmwatch::client
