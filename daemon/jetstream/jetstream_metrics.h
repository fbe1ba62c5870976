#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "jetstream/settlement.h"

namespace atmwatch::jetstream {

// The JetStream source's series, built once: one label set per configured
// subject (the config bounds them) and per settlement, kept by reference so
// that counting a message never hashes labels. atmwatch_jetstream_server_info
// has one series per configured server (a server the cluster announced but
// the config does not list shows as none at 1).
//
// Thread-safe (prometheus-cpp's counters and gauges are).
class JetStreamMetrics {
 public:
  // `servers` are the configured URLs.
  JetStreamMetrics(prometheus::Registry& registry, const std::vector<std::string>& subjects,
                   const std::vector<std::string>& servers);

  // `subject` is the index into the configured subjects.
  void Received(std::size_t subject, bool redelivered);
  void Settled(std::size_t subject, Settlement settlement);
  void SettleFailed(std::size_t subject) { series_[subject].settle_failures->Increment(); }
  void SetPending(std::size_t subject, double messages) { series_[subject].pending->Set(messages); }
  void SetConsumerReady(std::size_t subject, bool ready) {
    series_[subject].ready->Set(ready ? 1 : 0);
  }
  void SetConnected(bool connected) { connected_.Set(connected ? 1 : 0); }
  void CountDisconnect() { disconnects_.Increment(); }
  void CountReconnect() { reconnects_.Increment(); }
  // The server now connected to, by URL; "" when none.
  void SetServer(const std::string& url);
  void SetInFlight(double batches) { in_flight_.Set(batches); }

 private:
  struct Series {
    prometheus::Counter* received = nullptr;
    prometheus::Counter* redelivered = nullptr;
    std::array<prometheus::Counter*, kSettlements> settled{};   // acked or naked, by settlement
    std::array<prometheus::Counter*, kSettlements> rejected{};  // set for rejections only
    prometheus::Counter* settle_failures = nullptr;
    prometheus::Gauge* pending = nullptr;
    prometheus::Gauge* ready = nullptr;
  };

  std::vector<Series> series_;
  std::vector<std::pair<std::string, prometheus::Gauge*>> servers_;  // "host:port", series
  prometheus::Gauge& connected_;
  prometheus::Counter& disconnects_;
  prometheus::Counter& reconnects_;
  prometheus::Gauge& in_flight_;
};

}  // namespace atmwatch::jetstream
