#include "config/reload_plan.h"

#include <string_view>
#include <utility>

namespace atmwatch::config {
namespace {

// A changed value goes back to the running one, and is warned about.
template <typename Value>
void KeepRunning(std::string_view key, std::string warning, const Value& running, Value* next,
                 std::vector<KeptUntilRestart>* kept) {
  if (*next == running) return;
  *next = running;
  kept->push_back({std::string(key), std::move(warning)});
}

template <typename Value>
void KeepRunningKey(std::string_view key, const Value& running, Value* next,
                    std::vector<KeptUntilRestart>* kept) {
  KeepRunning(key, std::string(key) + " changes only on restart", running, next, kept);
}

template <typename Value>
void KeepRunningSection(std::string_view section, const Value& running, Value* next,
                        std::vector<KeptUntilRestart>* kept) {
  KeepRunning(section, "the " + std::string(section) + " section changes only on restart", running,
              next, kept);
}

// True when the listener's files are to be read again. Whether TLS and
// client certificates are on is fixed at start: the listener was built so.
bool PlanTls(std::string_view key, const DaemonConfig::Tls& running, DaemonConfig::Tls* next,
             std::vector<KeptUntilRestart>* kept) {
  if (next->enabled() != running.enabled() ||
      next->client_ca_file.empty() != running.client_ca_file.empty()) {
    *next = running;
    kept->push_back(
        {std::string(key),
         "turning " + std::string(key) + " or its client certificates on or off needs a restart"});
    return false;
  }
  return next->enabled();
}

}  // namespace

ReloadPlan PlanReload(const DaemonConfig& running, const DaemonConfig& fresh) {
  ReloadPlan plan;
  plan.config = fresh;
  DaemonConfig& next = plan.config;
  std::vector<KeptUntilRestart>* kept = &plan.kept;

  // The aggregates' local days are cut at the running offset; the holidays
  // and the fiscal year still apply.
  const auto offset = running.calendar.utc_offset();
  if (next.calendar.utc_offset() != offset) {
    next.calendar = next.calendar.WithUtcOffset(offset);
    kept->push_back(
        {"timezone", "timezone changes only on restart; keeping the running UTC offset"});
  }
  plan.reread_ingest_tls = PlanTls("ingest.tls", running.ingest.tls, &next.ingest.tls, kept);
  plan.reread_http_tls = PlanTls("http.tls", running.http.tls, &next.http.tls, kept);

  // Bound, opened or started once: the listeners, the data directory and its
  // log, the logger and the JetStream consumers.
  KeepRunningKey("ingest.listen", running.ingest.listen, &next.ingest.listen, kept);
  KeepRunningKey("http.listen", running.http.listen, &next.http.listen, kept);
  KeepRunningKey("data_dir", running.data_dir, &next.data_dir, kept);
  KeepRunningSection("jetstream", running.jetstream, &next.jetstream, kept);
  KeepRunningSection("wal", running.wal, &next.wal, kept);
  KeepRunningKey("log_level", running.log_level, &next.log_level, kept);

  // The listeners' connection options, given to them when they were built.
  KeepRunningKey("ingest.max_frame_bytes", running.ingest.max_frame_bytes,
                 &next.ingest.max_frame_bytes, kept);
  KeepRunningKey("ingest.max_inflight_batches", running.ingest.max_inflight_batches,
                 &next.ingest.max_inflight_batches, kept);
  KeepRunningKey("ingest.max_connections_per_ip", running.ingest.max_connections_per_ip,
                 &next.ingest.max_connections_per_ip, kept);
  KeepRunningKey("ingest.idle_timeout", running.ingest.idle_timeout_ms,
                 &next.ingest.idle_timeout_ms, kept);
  KeepRunningKey("ingest.frame_timeout", running.ingest.frame_timeout_ms,
                 &next.ingest.frame_timeout_ms, kept);
  KeepRunningKey("ingest.write_timeout", running.ingest.write_timeout_ms,
                 &next.ingest.write_timeout_ms, kept);
  KeepRunning("http.tls limits",
              "http.tls max_connections, handshake_timeout and idle_timeout change only on restart",
              running.http.tls_limits, &next.http.tls_limits, kept);
  return plan;
}

}  // namespace atmwatch::config
