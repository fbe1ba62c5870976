#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <map>
#include <string>
#include <string_view>

#include "client/daemon_link_metrics.h"
#include "radius/accounting_record.h"

// The collector's own Prometheus series (prefix atmwatch_radius_), and what
// the daemon answered it (client/daemon_link_metrics.h, collector="radius"). Every
// series with a label from a fixed set is created up front, so counting is a
// plain atomic add; only the daemon's rejection reasons, which this process
// does not know in advance, are added when first seen.
//
// Thread-safe. `registry` must outlive this object.
namespace atmwatch::radius {

class CollectorMetrics {
 public:
  explicit CollectorMetrics(prometheus::Registry& registry);

  // An authenticated, well-formed request seen for the first time.
  void CountRequest(StatusType status_type);
  // A retransmit: of a request still waiting for the daemon, or answered.
  void CountDuplicate(bool answered);
  // A datagram dropped without an answer (RFC 2866 §2); `reason` is one of
  // DropReasons().
  void CountDrop(std::string_view reason);
  // Answered without forwarding anything: no Calling-Station-Id names a line.
  void CountIgnoredWithoutLineId();
  void CountResponse();
  void ObserveForwardLatency(double seconds);
  void SetQueueDepth(double events);
  void SetTrackedLines(double lines);
  void CountDaemonAck(std::uint32_t accepted, std::uint32_t duplicates);
  void CountDaemonRejection(const std::string& reason);
  void CountLost(double events);
  // An attempt to forward that the daemon refused as UNAUTHENTICATED.
  void CountRefusal();

  static const std::array<std::string_view, 20>& DropReasons();

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Counter>& duplicates_;
  std::array<prometheus::Counter*, 5> requests_by_type_{};
  prometheus::Counter& duplicates_pending_;
  prometheus::Counter& duplicates_answered_;
  prometheus::Family<prometheus::Counter>& drops_;
  std::map<std::string_view, prometheus::Counter*, std::less<>> drops_by_reason_;
  prometheus::Counter& ignored_missing_line_;
  prometheus::Counter& responses_;
  prometheus::Histogram& forward_latency_;
  prometheus::Gauge& queue_depth_;
  prometheus::Gauge& tracked_lines_;
  prometheus::Counter& lost_;
  client::DaemonLinkMetrics daemon_link_;
};

}  // namespace atmwatch::radius
