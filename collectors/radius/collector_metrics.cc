#include "radius/collector_metrics.h"

namespace atmwatch::radius {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

std::size_t StatusIndex(StatusType status_type) {
  switch (status_type) {
    case StatusType::kStart:
      return 0;
    case StatusType::kInterimUpdate:
      return 1;
    case StatusType::kStop:
      return 2;
    case StatusType::kAccountingOn:
      return 3;
    case StatusType::kAccountingOff:
      return 4;
  }
  return 0;
}

constexpr std::array<std::string_view, 5> kStatusNames = {"start", "interim_update", "stop",
                                                          "accounting_on", "accounting_off"};

}  // namespace

const std::array<std::string_view, 20>& CollectorMetrics::DropReasons() {
  // Decode, record and mapping reason names of the codec, plus the
  // collector's own.
  static const std::array<std::string_view, 20> kReasons = {
      "unknown_client",
      "bad_authenticator",
      "queue_full",
      "cannot_sign_response",
      "short_packet",
      "length_below_minimum",
      "length_above_maximum",
      "length_exceeds_datagram",
      "attribute_length_below_minimum",
      "attribute_overrun",
      "not_accounting_request",
      "missing_status_type",
      "unsupported_status_type",
      "duplicate_attribute",
      "integer_not_four_octets",
      "address_not_four_octets",
      "empty_string",
      "missing_session_id",
      "string_not_utf8",
      "other",
  };
  return kReasons;
}

CollectorMetrics::CollectorMetrics(prometheus::Registry& registry)
    : requests_(BuildCounter()
                    .Name("atmwatch_radius_requests_total")
                    .Help("Authenticated Accounting-Requests, retransmits not counted, by "
                          "Acct-Status-Type")
                    .Register(registry)),
      duplicates_(BuildCounter()
                      .Name("atmwatch_radius_duplicate_requests_total")
                      .Help("Retransmitted requests, by the state of the original")
                      .Register(registry)),
      duplicates_pending_(duplicates_.Add({{"state", "pending"}})),
      duplicates_answered_(duplicates_.Add({{"state", "answered"}})),
      drops_(BuildCounter()
                 .Name("atmwatch_radius_dropped_requests_total")
                 .Help("Datagrams dropped without an answer, by reason")
                 .Register(registry)),
      ignored_missing_line_(BuildCounter()
                                .Name("atmwatch_radius_ignored_requests_total")
                                .Help("Requests answered without forwarding an event, by reason")
                                .Register(registry)
                                .Add({{"reason", "missing_calling_station_id"}})),
      responses_(BuildCounter()
                     .Name("atmwatch_radius_responses_total")
                     .Help("Accounting-Responses sent, retransmitted ones included")
                     .Register(registry)
                     .Add({})),
      forward_latency_(
          BuildHistogram()
              .Name("atmwatch_radius_forward_latency_seconds")
              .Help("From a request's arrival to its response, after the daemon "
                    "made its events durable")
              .Register(registry)
              .Add({},
                   prometheus::Histogram::BucketBoundaries{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                           0.1, 0.25, 0.5, 1, 2.5, 5, 10})),
      queue_depth_(BuildGauge()
                       .Name("atmwatch_radius_queue_events")
                       .Help("Events waiting for the daemon's acknowledgement")
                       .Register(registry)
                       .Add({})),
      tracked_lines_(BuildGauge()
                         .Name("atmwatch_radius_open_sessions")
                         .Help("Open sessions remembered to answer a NAS's Accounting-On/Off")
                         .Register(registry)
                         .Add({})),
      lost_(BuildCounter()
                .Name("atmwatch_radius_lost_events_total")
                .Help("Events given up on when the daemon stayed unreachable; their requests "
                      "go unanswered so the NAS retransmits them")
                .Register(registry)
                .Add({})),
      daemon_link_(registry, "radius") {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    requests_by_type_[i] = &requests_.Add({{"status_type", std::string(kStatusNames[i])}});
  }
  for (std::string_view reason : DropReasons()) {
    drops_by_reason_[reason] = &drops_.Add({{"reason", std::string(reason)}});
  }
}

void CollectorMetrics::CountRequest(StatusType status_type) {
  requests_by_type_[StatusIndex(status_type)]->Increment();
}

void CollectorMetrics::CountDuplicate(bool answered) {
  (answered ? duplicates_answered_ : duplicates_pending_).Increment();
}

void CollectorMetrics::CountDrop(std::string_view reason) {
  auto it = drops_by_reason_.find(reason);
  if (it == drops_by_reason_.end()) it = drops_by_reason_.find("other");
  it->second->Increment();
}

void CollectorMetrics::CountIgnoredWithoutLineId() { ignored_missing_line_.Increment(); }

void CollectorMetrics::CountResponse() { responses_.Increment(); }

void CollectorMetrics::ObserveForwardLatency(double seconds) { forward_latency_.Observe(seconds); }

void CollectorMetrics::SetQueueDepth(double events) { queue_depth_.Set(events); }

void CollectorMetrics::SetTrackedLines(double lines) { tracked_lines_.Set(lines); }

void CollectorMetrics::CountDaemonAck(std::uint32_t accepted, std::uint32_t duplicates) {
  daemon_link_.CountAck(accepted, duplicates);
}

void CollectorMetrics::CountDaemonRejection(const std::string& reason) {
  daemon_link_.CountRejection(reason);
}

void CollectorMetrics::CountLost(double events) { lost_.Increment(events); }

void CollectorMetrics::CountRefusal() { daemon_link_.CountRefusal(); }

}  // namespace atmwatch::radius
