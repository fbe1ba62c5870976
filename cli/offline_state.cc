#include "cli/offline_state.h"

#include <prometheus/registry.h>

#include <chrono>
#include <filesystem>

#include "durability/data_dir_lock.h"
#include "durability/durable_state.h"
#include "engine/engine.h"
#include "ingest/ingest_pipeline.h"
#include "metrics/ingest_metrics.h"
#include "metrics/wal_metrics.h"

namespace atmwatch::cli {

Status LoadOfflineEngine(const std::string& data_dir, const config::DaemonConfig& config,
                         std::unique_ptr<engine::Engine>* out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // Recovery creates what is missing; a mistyped path must not become an
  // empty data directory that reports nothing.
  if (!fs::is_directory(fs::path(data_dir) / "wal", ec) &&
      !fs::is_directory(fs::path(data_dir) / "snapshots", ec)) {
    return Status::Error(data_dir +
                         ": not an atmwatch data directory (no wal/ or snapshots/ inside)");
  }
  // Recovery may cut a torn tail: never under a running daemon's feet.
  durability::DataDirLock lock;
  if (Status status = durability::DataDirLock::Acquire(
          data_dir, durability::DataDirLock::Mode::kExclusive, "atmwatch report", &lock);
      !status.ok()) {
    return Status::Error(status.message() +
                         ", or ask the running daemon: leave out --data-dir (report asks --http)");
  }
  auto engine = std::make_unique<engine::Engine>(config::EngineConfigOf(config));
  // Recovery reports into metrics; offline nobody scrapes them.
  prometheus::Registry registry;
  metrics::IngestMetrics ingest_metrics(registry);
  metrics::WalMetrics wal_metrics(registry);
  ingest::IngestPipeline pipeline(*engine, ingest_metrics, ingest::PipelineLimits{}, [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  });
  durability::DurabilityOptions options;
  options.data_dir = data_dir;
  options.segment_bytes = config.wal.segment_bytes;
  options.strict = config.wal.strict;
  durability::DurableState durable(options, *engine, pipeline, wal_metrics);
  durability::RecoveryReport report;
  if (Status status = durable.Recover(&report); !status.ok()) return status;
  *out = std::move(engine);
  return Status::Ok();
}

}  // namespace atmwatch::cli
