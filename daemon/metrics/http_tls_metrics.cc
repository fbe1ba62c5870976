#include "metrics/http_tls_metrics.h"

namespace atmwatch::metrics {
HttpTlsMetrics::HttpTlsMetrics(prometheus::Registry& registry)
    : connections_open_(prometheus::BuildGauge()
                            .Name("atmwatch_http_tls_connections")
                            .Help("HTTPS connections open now.")
                            .Register(registry)
                            .Add({})),
      connections_total_(prometheus::BuildCounter()
                             .Name("atmwatch_http_tls_connections_total")
                             .Help("HTTPS connections accepted since start.")
                             .Register(registry)
                             .Add({})),
      reloads_(registry, "atmwatch_http_tls_reloads_total",
               "Reloads (SIGHUP) of the HTTP listener's TLS files; failed ones keep the running "
               "certificates.",
               "result", {"ok", "failed"}),
      handshake_failures_(
          registry, "atmwatch_http_tls_handshake_failures_total",
          "HTTPS handshakes that failed, by reason; the connection is closed.", "reason",
          {"no_client_cert", "untrusted_cert", "expired_cert", "protocol", "timeout"}),
      limit_hits_(registry, "atmwatch_http_tls_limit_hits_total",
                  "HTTPS connections refused or closed by a limit: connections open at once, "
                  "no byte either way within the idle timeout.",
                  "limit", {"max_connections", "idle_timeout"}) {}

void HttpTlsMetrics::ConnectionOpened() {
  connections_open_.Increment();
  connections_total_.Increment();
}

}  // namespace atmwatch::metrics
