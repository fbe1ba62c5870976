#include "client/daemon_link_metrics.h"

namespace atmwatch::client {

using prometheus::BuildCounter;

DaemonLinkMetrics::DaemonLinkMetrics(prometheus::Registry& registry, const std::string& collector)
    : collector_(collector),
      events_(BuildCounter()
                  .Name("atmwatch_collector_daemon_events_total")
                  .Help("Events the daemon acknowledged, by result (accepted, duplicate)")
                  .Register(registry)),
      accepted_(events_.Add({{"collector", collector}, {"result", "accepted"}})),
      duplicates_(events_.Add({{"collector", collector}, {"result", "duplicate"}})),
      rejections_(BuildCounter()
                      .Name("atmwatch_collector_daemon_rejections_total")
                      .Help("Events the daemon refused for good, by its reason; they are not "
                            "sent again, since the daemon would refuse them again")
                      .Register(registry)),
      refusals_(BuildCounter()
                    .Name("atmwatch_collector_daemon_refusals_total")
                    .Help("Attempts the daemon refused as UNAUTHENTICATED (its ingest.sources "
                          "binds this source to another certificate or token); the events are "
                          "kept and sent again")
                    .Register(registry)
                    .Add({{"collector", collector}})) {}

void DaemonLinkMetrics::CountAck(std::uint32_t accepted, std::uint32_t duplicates) {
  accepted_.Increment(accepted);
  duplicates_.Increment(duplicates);
}

void DaemonLinkMetrics::CountRejection(const std::string& reason) {
  rejections_.Add({{"collector", collector_}, {"reason", reason}}).Increment();
}

void DaemonLinkMetrics::CountRefusal() { refusals_.Increment(); }

}  // namespace atmwatch::client
