#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <string_view>

#include "metrics/fixed_label_counters.h"

namespace atmwatch::metrics {

// What the HTTPS front of the HTTP listener (http.tls) counts: connections,
// failed handshakes, limits and certificate reloads. Registered only when
// http.tls is set.
//
// Thread-safe, as prometheus-cpp's counters and gauges are. Reasons and
// limits outside their fixed sets are not counted.
class HttpTlsMetrics {
 public:
  explicit HttpTlsMetrics(prometheus::Registry& registry);

  void ConnectionOpened();
  void ConnectionClosed() { connections_open_.Decrement(); }
  // no_client_cert, untrusted_cert, expired_cert, protocol, timeout.
  void CountHandshakeFailure(std::string_view reason) { handshake_failures_.Increment(reason); }
  // max_connections, idle_timeout.
  void CountLimitHit(std::string_view limit) { limit_hits_.Increment(limit); }
  // A SIGHUP that re-read the certificate files; failed: kept the running ones.
  void CountReload(bool ok) { reloads_.Increment(ok ? "ok" : "failed"); }

 private:
  prometheus::Gauge& connections_open_;
  prometheus::Counter& connections_total_;
  FixedLabelCounters reloads_;
  FixedLabelCounters handshake_failures_;
  FixedLabelCounters limit_hits_;
};

}  // namespace atmwatch::metrics
