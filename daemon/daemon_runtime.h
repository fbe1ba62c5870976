#pragma once

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <asio/io_context.hpp>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "common/status.h"
#include "config/daemon_config.h"
#include "durability/durable_state.h"
#include "engine/engine.h"
#include "http/http_server.h"
#include "http/tls_front.h"
#include "ingest/ingest_pipeline.h"
#include "ingest/ingest_server.h"
#include "ingest/source_policy.h"
#ifdef ATMWATCH_WITH_JETSTREAM
#include "jetstream/jetstream_metrics.h"
#include "jetstream/jetstream_source.h"
#endif
#include "metrics/atm_collector.h"
#include "metrics/atm_state_collector.h"
#include "metrics/authorization_collector.h"
#include "metrics/business_collector.h"
#include "metrics/cash_collector.h"
#include "metrics/device_collector.h"
#include "metrics/cash_forecast_collector.h"
#include "metrics/fixed_label_counters.h"
#include "metrics/http_tls_metrics.h"
#include "metrics/ingest_metrics.h"
#include "metrics/ingest_source_collector.h"
#include "metrics/mvno_line_collector.h"
#include "metrics/plan_collector.h"
#include "metrics/wal_metrics.h"

namespace atmwatch {

// The daemon's parts wired together: engine, ingest pipeline, the TCP and
// HTTP listeners (with http.tls, HTTPS through a TlsFront to an HTTP server
// on a loopback port), the JetStream source when configured, and the metrics
// they expose. Owns them all; main() only drives its lifecycle.
// Start/Stop/Reload run on the io_context's thread.
class DaemonRuntime {
 public:
  DaemonRuntime(asio::io_context& io, const config::DaemonConfig& config);

  // Reads the TLS files and binds both listeners; the error names the file
  // or the address that failed. HTTP (and HTTPS) answers from here on,
  // /readyz with 503 until Start. A `jetstream:` section in a build without
  // libnats is refused here.
  Status Listen();
  // Loads the snapshot and replays the write-ahead log; the error names the
  // file that could not be read. Runs on a thread of its own, so that
  // signals are heard meanwhile; *abandoned after AbandonRecovery.
  Status Recover(bool* abandoned);
  // Any thread: Recover stops at the next record, having changed nothing on
  // disk; the daemon must then only Stop.
  void AbandonRecovery() { durable_.AbandonRecovery(); }
  // Starts group commit, accepting ingest connections and consuming from
  // JetStream; ready. An error only for JetStream options the NATS client
  // refuses (an unreachable server is retried in the background).
  Status Start();
  // The ordered drain: stop accepting → close ingest connections → stop
  // fetching from JetStream and ack what is in flight → commit what is
  // queued → final snapshot → stop HTTP; io.run() then returns.
  void Stop();
  // Applies the reloadable parts of a new config: inventory, limits, fees,
  // costs, holidays and the fiscal year start, the ingest and HTTP TLS files
  // (new connections get them; files that cannot be used keep the running
  // ones), ingest.sources and http.basic_auth_users. What needs a restart
  // (config::PlanReload decides) keeps its running value and is warned about;
  // the timezone among it: the aggregates' local days are cut at the running offset.
  void Reload(const config::DaemonConfig& fresh);
  // A reload whose file could not be used (unreadable, empty, invalid): the
  // running config stays. Logged and counted.
  void RefuseReload(const Status& status);

 private:
  static ingest::PipelineLimits LimitsOf(const config::DaemonConfig& config);
  static durability::DurabilityOptions DurabilityOf(const config::DaemonConfig& config);
  static std::vector<ingest::SourceBinding> SourceBindingsOf(const config::DaemonConfig& config);
  // Build the listener's TLS context from the config's files and hand it
  // over; an error names the key and the file.
  Status LoadIngestTls(const config::DaemonConfig::Tls& files);
  Status LoadHttpTls(const config::DaemonConfig::Tls& files);
  Status ListenHttp();
  // Reads one listener's TLS files again (`key` names its section); false,
  // logged and counted by `count_reload`, when they cannot be used.
  bool ReloadTls(std::string_view key, const config::DaemonConfig::Tls& files,
                 const std::function<Status(const config::DaemonConfig::Tls&)>& load,
                 const std::function<void(bool ok)>& count_reload);
  Status StartJetStream();
  void RegisterRoutes();

  asio::io_context& io_;
  config::DaemonConfig config_;
  prometheus::Registry registry_;
  metrics::IngestMetrics ingest_metrics_;
  metrics::WalMetrics wal_metrics_;
  metrics::FixedLabelCounters config_reloads_;
  // atmwatch_slo_objective_ratio{slo="cardholder_availability"}: the
  // config's objective, set again on reload.
  prometheus::Gauge* cardholder_objective_ = nullptr;
  engine::Engine engine_;
  metrics::AtmCollector atm_collector_;
  metrics::AuthorizationCollector authorization_collector_;
  metrics::BusinessCollector business_collector_;
  metrics::PlanCollector plan_collector_;
  metrics::AtmStateCollector atm_state_collector_;
  metrics::MvnoLineCollector mvno_line_collector_;
  metrics::CashCollector cash_collector_;
  metrics::DeviceCollector device_collector_;
  metrics::CashForecastCollector cash_forecast_collector_;
  metrics::IngestSourceCollector source_collector_;
  ingest::IngestPipeline pipeline_;
  ingest::SourcePolicy sources_;
  durability::DurableState durable_;
  ingest::IngestServer ingest_server_;
  // Only with http.tls. Before http_server_, whose workers ask the front
  // about their peers until it stops: destroyed after it.
  std::optional<metrics::HttpTlsMetrics> http_tls_metrics_;
  std::unique_ptr<http::TlsFront> tls_front_;
  http::HttpServer http_server_;
#ifdef ATMWATCH_WITH_JETSTREAM
  std::optional<jetstream::JetStreamMetrics> jetstream_metrics_;
  std::unique_ptr<jetstream::JetStreamSource> jetstream_;
#endif
  std::atomic<bool> ready_{false};
};

}  // namespace atmwatch
