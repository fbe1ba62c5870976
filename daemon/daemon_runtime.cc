#include "daemon_runtime.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <spdlog/spdlog.h>

#include <asio/ip/address_v4.hpp>
#include <chrono>
#include <sstream>

#include "common/wall_clock.h"
#include "config/reload_plan.h"
#include "http/events_endpoint.h"
#include "http/report_endpoint.h"
#include "metrics/exposition.h"
#include "tls/tls_context.h"

namespace atmwatch {
namespace {

// A context from the config's files; the error names `key` and the file.
Status MakeTlsContext(const config::DaemonConfig::Tls& files, std::string_view key,
                      std::shared_ptr<asio::ssl::context>* out) {
  return tls::MakeServerTlsContext(
      tls::TlsFiles{files.cert_file, files.key_file, files.client_ca_file}, key, out);
}

std::string TlsNote(const config::DaemonConfig::Tls& tls) {
  if (!tls.enabled()) return "";
  return tls.client_ca_file.empty() ? " (TLS)" : " (TLS, client certificates required)";
}

// "host:port" as the config writes it: an IPv6 host in brackets.
std::string EndpointText(const std::string& host, int port) {
  const bool bare_ipv6 = host.find(':') != std::string::npos && host.front() != '[';
  return (bare_ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

DaemonRuntime::DaemonRuntime(asio::io_context& io, const config::DaemonConfig& config)
    : io_(io),
      config_(config),
      ingest_metrics_(registry_),
      wal_metrics_(registry_),
      config_reloads_(registry_, "atmwatch_config_reloads_total",
                      "Config reloads (SIGHUP); a failed one (file unreadable, empty or invalid) "
                      "keeps the running config.",
                      "result", {"ok", "failed"}),
      engine_(config::EngineConfigOf(config)),
      atm_collector_(engine_, NowUnixMs),
      authorization_collector_(engine_),
      business_collector_(engine_, NowUnixMs),
      plan_collector_(engine_, NowUnixMs),
      atm_state_collector_(engine_, NowUnixMs),
      mvno_line_collector_(engine_, NowUnixMs),
      cash_collector_(engine_),
      device_collector_(engine_),
      cash_forecast_collector_(engine_, NowUnixMs),
      source_collector_([this] {
        ingest::SourceFreshness freshness = pipeline_.Freshness();
        return metrics::IngestSourceCollector::Sources{std::move(freshness.last_batch_unix_ms),
                                                       freshness.sources};
      }),
      pipeline_(engine_, ingest_metrics_, LimitsOf(config), NowUnixMs),
      sources_(SourceBindingsOf(config), config.ingest.require_known_sources),
      durable_(DurabilityOf(config), engine_, pipeline_, wal_metrics_),
      ingest_server_(
          io, pipeline_, ingest_metrics_, sources_,
          ingest::IngestServerOptions{
              .max_frame_bytes = config.ingest.max_frame_bytes,
              .max_inflight_batches = config.ingest.max_inflight_batches,
              .max_connections_per_ip = config.ingest.max_connections_per_ip,
              .idle_timeout = std::chrono::milliseconds(config.ingest.idle_timeout_ms),
              .frame_timeout = std::chrono::milliseconds(config.ingest.frame_timeout_ms),
              .write_timeout = std::chrono::milliseconds(config.ingest.write_timeout_ms)}),
      http_server_(http::HttpServer::Options{.max_body_bytes = config.ingest.max_frame_bytes}) {
  http_server_.SetBasicAuthUsers(config.http.basic_auth_users);
  if (config.http.tls.enabled()) {
    http_tls_metrics_.emplace(registry_);
    const config::DaemonConfig::Http::TlsLimits& limits = config.http.tls_limits;
    tls_front_ = std::make_unique<http::TlsFront>(
        *http_tls_metrics_,
        http::TlsFrontOptions{
            .handshake_timeout = std::chrono::milliseconds(limits.handshake_timeout_ms),
            .idle_timeout = std::chrono::milliseconds(limits.idle_timeout_ms),
            .max_connections = limits.max_connections});
    // The HTTP server's loopback port is for the front alone: a local
    // process must not get past client certificates by going around it.
    http_server_.RestrictToPeerPorts([front = tls_front_.get()](int port) {
      return port > 0 && port <= 65535 && front->IsRelayPort(static_cast<unsigned short>(port));
    });
  }
  prometheus::BuildGauge()
      .Name("atmwatch_build_info")
      .Help("Version of the running atmwatchd; always 1.")
      .Register(registry_)
      .Add({{"version", ATMWATCH_VERSION}})
      .Set(1);
  cardholder_objective_ =
      &prometheus::BuildGauge()
           .Name("atmwatch_slo_objective_ratio")
           .Help(
               "Service level objective (slo.*): the share of business seconds to meet it; "
               "the burn-rate alerts measure against it.")
           .Register(registry_)
           .Add({{"slo", "cardholder_availability"}});
  cardholder_objective_->Set(config.slo.cardholder_availability);
  RegisterRoutes();
}

ingest::PipelineLimits DaemonRuntime::LimitsOf(const config::DaemonConfig& config) {
  ingest::PipelineLimits limits;
  limits.events.max_event_age_ms = config.ingest.max_event_age_ms;
  limits.events.max_string_bytes = config.ingest.max_string_bytes;
  limits.max_batch_events = config.ingest.max_batch_events;
  limits.max_sources = config.ingest.max_sources;
  return limits;
}

std::vector<ingest::SourceBinding> DaemonRuntime::SourceBindingsOf(
    const config::DaemonConfig& config) {
  std::vector<ingest::SourceBinding> bindings;
  for (const auto& source : config.ingest.sources) {
    ingest::SourceBinding binding{source.source_id, source.cert_subject, std::nullopt};
    ingest::TokenDigest digest{};
    if (ingest::ParseTokenDigest(source.token_sha256, &digest)) binding.token = digest;
    bindings.push_back(std::move(binding));
  }
  return bindings;
}

Status DaemonRuntime::LoadIngestTls(const config::DaemonConfig::Tls& files) {
  if (!files.enabled()) return Status::Ok();
  std::shared_ptr<asio::ssl::context> context;
  if (Status status = MakeTlsContext(files, "ingest.tls", &context); !status.ok()) return status;
  ingest_server_.SetTlsContext(std::move(context));
  return Status::Ok();
}

Status DaemonRuntime::LoadHttpTls(const config::DaemonConfig::Tls& files) {
  if (!files.enabled() || !tls_front_) return Status::Ok();
  std::shared_ptr<asio::ssl::context> context;
  if (Status status = MakeTlsContext(files, "http.tls", &context); !status.ok()) return status;
  tls_front_->SetTlsContext(std::move(context));
  return Status::Ok();
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
  http_server_.OnBodyTooLarge([this] {
    ingest_metrics_.CountRejectedFrame(metrics::IngestMetrics::Transport::kHttp, "frame_too_large");
  });
  auto& unauthorized = prometheus::BuildCounter()
                           .Name("atmwatch_http_unauthorized_total")
                           .Help(
                               "HTTP requests refused for want of a valid user and password "
                               "(http.basic_auth_users).")
                           .Register(registry_)
                           .Add({});
  http_server_.OnUnauthorized([&unauthorized] { unauthorized.Increment(); });
  http_server_.Handle(
      "/metrics",
      [this](const http::Request&) {
        http::Response response(200, metrics::kTextContentType, {});
        response.stream = [this](const http::BodyWriter& write) {
          constexpr std::size_t kPieceBytes = 1 << 20;
          metrics::StreamExposition(
              {&registry_},
              {&atm_collector_, &authorization_collector_, &business_collector_, &plan_collector_,
               &atm_state_collector_, &mvno_line_collector_, &cash_collector_,
               &cash_forecast_collector_, &device_collector_, &source_collector_},
              kPieceBytes, write);
        };
        return response;
      },
      http::HttpServer::Access::kUsers);
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
    return http::HandleEvents(request, pipeline_, ingest_metrics_, sources_);
  });
  http_server_.Handle(
      "/v1/report",
      [this](const http::Request& request) {
        return http::HandleReport(request, engine_, NowUnixMs);
      },
      http::HttpServer::Access::kUsers);
}

Status DaemonRuntime::Listen() {
#ifndef ATMWATCH_WITH_JETSTREAM
  if (config_.jetstream.enabled) {
    return Status::Error(
        "jetstream: this atmwatchd was built without the JetStream source (libnats-dev); "
        "remove the jetstream section or rebuild with it");
  }
#endif
  if (auto status = LoadIngestTls(config_.ingest.tls); !status.ok()) return status;
  if (auto status = LoadHttpTls(config_.http.tls); !status.ok()) return status;
  if (auto status = ingest_server_.Listen(config_.ingest.listen); !status.ok()) {
    return Status::Error("ingest: " + status.message());
  }
  // The bound ports, as soon as they are bound: with port 0 in the config
  // this is the one place that says which port was taken.
  const auto ingest = ingest_server_.local_endpoint();
  spdlog::info("ingest: listening on {}",
               EndpointText(ingest.address().to_string(), ingest.port()));
  if (auto status = ListenHttp(); !status.ok()) return status;
  const int http_port = tls_front_ ? tls_front_->local_endpoint().port() : http_server_.port();
  const std::string& http_listen = config_.http.listen;
  spdlog::info("http: listening on {}",
               EndpointText(http_listen.substr(0, http_listen.rfind(':')), http_port));
  return Status::Ok();
}

// With TLS, the public address is the front's and the HTTP server takes a
// free loopback port behind it.
Status DaemonRuntime::ListenHttp() {
  if (!tls_front_) {
    if (auto status = http_server_.Start(config_.http.listen); !status.ok()) {
      return Status::Error("http: " + status.message());
    }
    return Status::Ok();
  }
  if (auto status = tls_front_->Listen(config_.http.listen); !status.ok()) {
    return Status::Error("http: " + status.message());
  }
  if (auto status = http_server_.Start("127.0.0.1:0"); !status.ok()) {
    return Status::Error("http: the server behind TLS: " + status.message());
  }
  tls_front_->Start(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(),
                                            static_cast<unsigned short>(http_server_.port())));
  return Status::Ok();
}

Status DaemonRuntime::Recover(bool* abandoned) {
  durability::RecoveryReport report;
  if (auto status = durable_.Recover(&report); !status.ok()) return status;
  *abandoned = report.abandoned;
  if (report.abandoned) return Status::Ok();
  spdlog::info(
      "recovered {} in {:.3f} s: snapshot {}, {} records applied from the log ({} read in {} "
      "segments){}{}{}",
      config_.data_dir, report.seconds,
      report.snapshot_found ? "at record " + std::to_string(report.snapshot_lsn) : "none",
      report.applied, report.replay.records, report.replay.segments,
      report.replay.damage.empty()
          ? ""
          : ", " + std::to_string(report.replay.damage.size()) + " damaged places skipped",
      report.damaged_snapshots == 0
          ? ""
          : ", " + std::to_string(report.damaged_snapshots) + " damaged snapshots skipped",
      report.missing == 0 ? "" : ", " + std::to_string(report.missing) + " records MISSING");
  return Status::Ok();
}

Status DaemonRuntime::Start() {
  durable_.Start();
  if (!config_.wal.fsync) {
    spdlog::warn("wal.fsync is false: batches are acknowledged before they reach the disk");
  }
  ingest_server_.Start();
  if (Status status = StartJetStream(); !status.ok()) return status;
  const auto ingest = ingest_server_.local_endpoint();
  const int http_port = tls_front_ ? tls_front_->local_endpoint().port() : http_server_.port();
  spdlog::info(
      "atmwatchd {} ready: ingest on {}:{}{}, http on {} (port {}){}, data in {}, {} ATMs "
      "in the inventory",
      ATMWATCH_VERSION, ingest.address().to_string(), ingest.port(), TlsNote(config_.ingest.tls),
      config_.http.listen, http_port, TlsNote(config_.http.tls), config_.data_dir,
      config_.atms.size());
  if (tls_front_) {
    spdlog::info("http: the HTTP server behind TLS listens on 127.0.0.1:{} for the TLS front only",
                 http_server_.port());
  }
  ready_ = true;
  return Status::Ok();
}

// After recovery and group commit: a batch fetched earlier would only be
// answered UNAVAILABLE and naked.
Status DaemonRuntime::StartJetStream() {
#ifdef ATMWATCH_WITH_JETSTREAM
  const auto& js = config_.jetstream;
  if (!js.enabled) return Status::Ok();
  jetstream_metrics_.emplace(registry_, js.subjects, js.servers);
  jetstream::SourceOptions options;
  options.cluster.servers = js.servers;
  options.cluster.reconnect_wait = std::chrono::milliseconds(js.reconnect_wait_ms);
  options.cluster.reconnect_buffer_bytes = js.reconnect_buffer_bytes;
  options.stream = js.stream;
  options.durable = js.durable;
  options.subjects = js.subjects;
  options.fetch_batch = js.fetch_batch;
  options.max_in_flight = js.max_in_flight;
  options.ack_wait = std::chrono::milliseconds(js.ack_wait_ms);
  options.nak_delay = std::chrono::milliseconds(js.nak_delay_ms);
  jetstream_ = std::make_unique<jetstream::JetStreamSource>(
      std::move(options),
      [this](std::unique_ptr<const ingest::DecodedBatch> batch,
             ingest::IngestPipeline::AckCallback done) {
        pipeline_.Submit(std::move(batch), std::move(done));
      },
      *jetstream_metrics_);
  return jetstream_->Start();
#else
  return Status::Ok();
#endif
}

void DaemonRuntime::Stop() {
  ready_ = false;
  ingest_server_.Stop();
#ifdef ATMWATCH_WITH_JETSTREAM
  // Before the log stops: the batches in flight still get their answers,
  // and their messages their acks.
  if (jetstream_) jetstream_->Stop();
#endif
  durable_.Stop();
  if (tls_front_) tls_front_->Stop();
  http_server_.Stop();
}

bool DaemonRuntime::ReloadTls(std::string_view key, const config::DaemonConfig::Tls& files,
                              const std::function<Status(const config::DaemonConfig::Tls&)>& load,
                              const std::function<void(bool ok)>& count_reload) {
  if (Status status = load(files); !status.ok()) {
    count_reload(false);
    spdlog::error("reload: keeping the running {} certificates: {}", key, status.message());
    return false;
  }
  count_reload(true);
  spdlog::info("reload: {} files read again; new connections use them", key);
  return true;
}

void DaemonRuntime::Reload(const config::DaemonConfig& fresh) {
  config::ReloadPlan plan = config::PlanReload(config_, fresh);
  config::DaemonConfig& next = plan.config;
  for (const config::KeptUntilRestart& kept : plan.kept) spdlog::warn("reload: {}", kept.warning);
  // In log order, after a snapshot of what the old config made of the batches
  // before it: see DurableState::ApplyAtCheckpoint.
  durable_.ApplyAtCheckpoint(
      [this, engine = config::EngineConfigOf(next)]() { engine_.Reconfigure(engine); });
  pipeline_.SetLimits(LimitsOf(next));
  sources_.Replace(SourceBindingsOf(next), next.ingest.require_known_sources);
  http_server_.SetBasicAuthUsers(next.http.basic_auth_users);
  if (plan.reread_ingest_tls &&
      !ReloadTls(
          "ingest.tls", next.ingest.tls,
          [this](const config::DaemonConfig::Tls& files) { return LoadIngestTls(files); },
          [this](bool ok) { ingest_metrics_.CountTlsReload(ok); })) {
    next.ingest.tls = config_.ingest.tls;
  }
  if (plan.reread_http_tls &&
      !ReloadTls(
          "http.tls", next.http.tls,
          [this](const config::DaemonConfig::Tls& files) { return LoadHttpTls(files); },
          [this](bool ok) { http_tls_metrics_->CountReload(ok); })) {
    next.http.tls = config_.http.tls;
  }
  cardholder_objective_->Set(next.slo.cardholder_availability);
  config_ = std::move(next);
  config_reloads_.Increment("ok");
  spdlog::info("reload: config applied, {} ATMs in the inventory", config_.atms.size());
}

void DaemonRuntime::RefuseReload(const Status& status) {
  config_reloads_.Increment("failed");
  // One problem per line of the message, each logged on its own.
  std::istringstream problems(status.message());
  for (std::string problem; std::getline(problems, problem);) {
    spdlog::error("reload refused, keeping the running config: {}", problem);
  }
}

}  // namespace atmwatch
