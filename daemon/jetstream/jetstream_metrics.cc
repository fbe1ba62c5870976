#include "jetstream/jetstream_metrics.h"

#include "jetstream/server_address.h"

namespace atmwatch::jetstream {
namespace {

constexpr Settlement kAll[] = {Settlement::kApplied,      Settlement::kDuplicate,
                               Settlement::kInvalidBatch, Settlement::kUndecodable,
                               Settlement::kUnavailable,  Settlement::kSeqGap};

bool IsRejection(Settlement s) {
  return s == Settlement::kInvalidBatch || s == Settlement::kUndecodable;
}

}  // namespace

JetStreamMetrics::JetStreamMetrics(prometheus::Registry& registry,
                                   const std::vector<std::string>& subjects,
                                   const std::vector<std::string>& servers)
    : connected_(prometheus::BuildGauge()
                     .Name("atmwatch_jetstream_connected")
                     .Help("1 while connected to a server of the NATS cluster.")
                     .Register(registry)
                     .Add({})),
      disconnects_(prometheus::BuildCounter()
                       .Name("atmwatch_jetstream_disconnects_total")
                       .Help("Times the connection to the NATS server was lost.")
                       .Register(registry)
                       .Add({})),
      reconnects_(prometheus::BuildCounter()
                      .Name("atmwatch_jetstream_reconnects_total")
                      .Help("Times the connection came back, to any server of the cluster.")
                      .Register(registry)
                      .Add({})),
      in_flight_(prometheus::BuildGauge()
                     .Name("atmwatch_jetstream_batches_in_flight")
                     .Help("Batches taken from JetStream and not yet acked or naked.")
                     .Register(registry)
                     .Add({})) {
  auto& received = prometheus::BuildCounter()
                       .Name("atmwatch_jetstream_messages_received_total")
                       .Help("JetStream messages fetched, redeliveries included.")
                       .Register(registry);
  auto& redelivered = prometheus::BuildCounter()
                          .Name("atmwatch_jetstream_messages_redelivered_total")
                          .Help("JetStream messages fetched that had been delivered before.")
                          .Register(registry);
  auto& acked = prometheus::BuildCounter()
                    .Name("atmwatch_jetstream_messages_acked_total")
                    .Help(
                        "JetStream messages acked, by what the pipeline made of the batch; "
                        "acked only once durable, or when no retry can help.")
                    .Register(registry);
  auto& naked = prometheus::BuildCounter()
                    .Name("atmwatch_jetstream_messages_naked_total")
                    .Help("JetStream messages naked for redelivery after jetstream.nak_delay.")
                    .Register(registry);
  auto& rejected = prometheus::BuildCounter()
                       .Name("atmwatch_jetstream_messages_rejected_total")
                       .Help("JetStream messages acked without applying their batch.")
                       .Register(registry);
  auto& failures = prometheus::BuildCounter()
                       .Name("atmwatch_jetstream_settle_failures_total")
                       .Help(
                           "Acks and naks that could not be sent; JetStream redelivers those "
                           "messages after jetstream.ack_wait.")
                       .Register(registry);
  auto& pending = prometheus::BuildGauge()
                      .Name("atmwatch_jetstream_consumer_pending_messages")
                      .Help(
                          "Messages in the stream not yet delivered to this daemon's consumer, "
                          "as of the last fetch.")
                      .Register(registry);
  auto& ready = prometheus::BuildGauge()
                    .Name("atmwatch_jetstream_consumer_ready")
                    .Help("1 while this daemon's durable consumer for the subject is bound.")
                    .Register(registry);
  auto& server_info = prometheus::BuildGauge()
                          .Name("atmwatch_jetstream_server_info")
                          .Help("1 for the configured NATS server the daemon is connected to.")
                          .Register(registry);
  for (const auto& url : servers) {
    std::string address = ServerAddress(url);
    prometheus::Gauge* gauge = &server_info.Add({{"server", address}});
    servers_.emplace_back(std::move(address), gauge);
  }
  for (const auto& subject : subjects) {
    Series s;
    s.received = &received.Add({{"subject", subject}});
    s.redelivered = &redelivered.Add({{"subject", subject}});
    for (const Settlement settlement : kAll) {
      const std::string name(SettlementName(settlement));
      const auto i = static_cast<std::size_t>(settlement);
      s.settled[i] = IsAck(settlement) ? &acked.Add({{"subject", subject}, {"result", name}})
                                       : &naked.Add({{"subject", subject}, {"reason", name}});
      if (IsRejection(settlement)) {
        s.rejected[i] = &rejected.Add({{"subject", subject}, {"reason", name}});
      }
    }
    s.settle_failures = &failures.Add({{"subject", subject}});
    s.pending = &pending.Add({{"subject", subject}});
    s.ready = &ready.Add({{"subject", subject}});
    series_.push_back(s);
  }
}

void JetStreamMetrics::SetServer(const std::string& url) {
  const std::string address = url.empty() ? "" : ServerAddress(url);
  for (auto& [server, gauge] : servers_) gauge->Set(server == address ? 1 : 0);
}

void JetStreamMetrics::Received(std::size_t subject, bool redelivered) {
  series_[subject].received->Increment();
  if (redelivered) series_[subject].redelivered->Increment();
}

void JetStreamMetrics::Settled(std::size_t subject, Settlement settlement) {
  const auto i = static_cast<std::size_t>(settlement);
  series_[subject].settled[i]->Increment();
  if (series_[subject].rejected[i] != nullptr) series_[subject].rejected[i]->Increment();
}

}  // namespace atmwatch::jetstream
