#include "daemon_runtime.h"

#include <prometheus/gauge.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "http/events_endpoint.h"
#include "http/report_endpoint.h"
#include "metrics/exposition.h"

namespace atmwatch {
namespace {

std::int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

DaemonRuntime::DaemonRuntime(asio::io_context& io, const config::DaemonConfig& config)
    : io_(io),
      config_(config),
      ingest_metrics_(registry_),
      wal_metrics_(registry_),
      engine_(config::EngineConfigOf(config)),
      atm_collector_(engine_, NowUnixMs),
      authorization_collector_(engine_),
      business_collector_(engine_, NowUnixMs),
      connectivity_collector_(engine_, NowUnixMs),
      source_collector_([this] {
        ingest::SourceFreshness freshness = pipeline_.Freshness();
        return metrics::IngestSourceCollector::Sources{std::move(freshness.last_batch_unix_ms),
                                                       freshness.sources};
      }),
      pipeline_(engine_, ingest_metrics_, LimitsOf(config), NowUnixMs),
      durable_(DurabilityOf(config), engine_, pipeline_, wal_metrics_),
      ingest_server_(io, pipeline_, ingest_metrics_,
                     ingest::IngestServerOptions{.max_frame_bytes = config.ingest.max_frame_bytes}),
      http_server_(http::HttpServer::Options{.max_body_bytes = config.ingest.max_frame_bytes}) {
  prometheus::BuildGauge()
      .Name("atmwatch_build_info")
      .Help("Version of the running atmwatchd; always 1.")
      .Register(registry_)
      .Add({{"version", ATMWATCH_VERSION}})
      .Set(1);
  RegisterRoutes();
}

ingest::PipelineLimits DaemonRuntime::LimitsOf(const config::DaemonConfig& config) {
  ingest::PipelineLimits limits;
  limits.events.max_event_age_ms = config.ingest.max_event_age_ms;
  limits.max_batch_events = config.ingest.max_batch_events;
  limits.max_sources = config.ingest.max_sources;
  return limits;
}

durability::DurabilityOptions DaemonRuntime::DurabilityOf(const config::DaemonConfig& config) {
  durability::DurabilityOptions options;
  options.data_dir = config.data_dir;
  options.commit.fsync = config.wal.fsync;
  options.commit.max_delay = std::chrono::microseconds(config.wal.commit_delay_us);
  options.commit.max_group_bytes = config.wal.group_bytes;
  options.commit.min_free_bytes = config.wal.min_free_bytes;
  options.segment_bytes = config.wal.segment_bytes;
  options.strict = config.wal.strict;
  options.snapshot_every_records = config.wal.snapshot_every_records;
  options.snapshot_interval = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::milliseconds(config.wal.snapshot_interval_ms));
  return options;
}

void DaemonRuntime::RegisterRoutes() {
  http_server_.OnBodyTooLarge([this] { ingest_metrics_.CountRejectedFrame("frame_too_large"); });
  http_server_.Handle("/metrics", [this](const http::Request&) {
    return http::Response{
        200, metrics::kTextContentType,
        metrics::RenderText({&registry_, &atm_collector_, &authorization_collector_,
                             &business_collector_, &connectivity_collector_, &source_collector_})};
  });
  http_server_.Handle("/healthz", [](const http::Request&) {
    return http::Response{200, "text/plain; charset=utf-8", "ok\n"};
  });
  http_server_.Handle("/readyz", [this](const http::Request&) {
    const auto text = [](int status, std::string body) {
      return http::Response{status, "text/plain; charset=utf-8", std::move(body) + "\n"};
    };
    if (!ready_) return text(503, "not ready: recovering the data directory");
    auto* commit = durable_.commit();
    if (commit != nullptr && !commit->healthy()) {
      return text(503, "not ready: the write-ahead log cannot be written: " + commit->last_error());
    }
    return text(200, "ready");
  });
  http_server_.Handle("/v1/events", [this](const http::Request& request) {
    return http::HandleEvents(request, pipeline_, ingest_metrics_);
  });
  http_server_.Handle("/v1/report", [this](const http::Request& request) {
    return http::HandleReport(request, engine_, NowUnixMs);
  });
}

Status DaemonRuntime::Listen() {
  if (auto status = ingest_server_.Listen(config_.ingest.listen); !status.ok()) {
    return Status::Error("ingest: " + status.message());
  }
  if (auto status = http_server_.Start(config_.http.listen); !status.ok()) {
    return Status::Error("http: " + status.message());
  }
  return Status::Ok();
}

Status DaemonRuntime::Recover() {
  durability::RecoveryReport report;
  if (auto status = durable_.Recover(&report); !status.ok()) return status;
  spdlog::info("recovered {} in {:.3f} s: snapshot {}, {} log records in {} segments replayed{}{}",
               config_.data_dir, report.seconds,
               report.snapshot_found ? "at record " + std::to_string(report.snapshot_lsn) : "none",
               report.replay.records, report.replay.segments,
               report.replay.damage.empty()
                   ? ""
                   : ", " + std::to_string(report.replay.damage.size()) + " damaged places skipped",
               report.damaged_snapshots == 0 ? ""
                                             : ", " + std::to_string(report.damaged_snapshots) +
                                                   " damaged snapshots skipped");
  return Status::Ok();
}

void DaemonRuntime::Start() {
  durable_.Start();
  if (!config_.wal.fsync) {
    spdlog::warn("wal.fsync is false: batches are acknowledged before they reach the disk");
  }
  ingest_server_.Start();
  const auto ingest = ingest_server_.local_endpoint();
  spdlog::info(
      "atmwatchd {} ready: ingest on {}:{}, http on {} (port {}), data in {}, {} ATMs "
      "in the inventory",
      ATMWATCH_VERSION, ingest.address().to_string(), ingest.port(), config_.http.listen,
      http_server_.port(), config_.data_dir, config_.atms.size());
  ready_ = true;
}

void DaemonRuntime::Stop() {
  ready_ = false;
  ingest_server_.Stop();
  durable_.Stop();
  http_server_.Stop();
}

void DaemonRuntime::Reload(const config::DaemonConfig& config) {
  engine::EngineConfig reloaded = config::EngineConfigOf(config);
  const auto running_offset = config_.calendar.utc_offset();
  if (reloaded.calendar.utc_offset() != running_offset) {
    spdlog::warn("reload: timezone changes only on restart; keeping the running UTC offset");
    reloaded.calendar = reloaded.calendar.WithUtcOffset(running_offset);
  }
  // In log order, after a snapshot of what the old config made of the batches
  // before it: see DurableState::ApplyAtCheckpoint.
  durable_.ApplyAtCheckpoint(
      [this, reloaded = std::move(reloaded)]() { engine_.Reconfigure(reloaded); });
  pipeline_.SetLimits(LimitsOf(config));
  const bool moved = config.ingest.listen != config_.ingest.listen ||
                     config.http.listen != config_.http.listen ||
                     config.data_dir != config_.data_dir;
  if (moved) spdlog::warn("reload: listeners and data_dir change only on restart");
  config_.atms = config.atms;
  config_.fees = config.fees;
  config_.costs = config.costs;
  spdlog::info("reload: config applied, {} ATMs in the inventory", config.atms.size());
}

}  // namespace atmwatch
