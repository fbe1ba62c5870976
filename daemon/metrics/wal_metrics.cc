#include "metrics/wal_metrics.h"

namespace atmwatch::metrics {
namespace {

prometheus::Gauge& Gauge(prometheus::Registry& registry, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add({});
}

prometheus::Counter& Counter(prometheus::Registry& registry, const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry).Add({});
}

}  // namespace

WalMetrics::WalMetrics(prometheus::Registry& registry)
    : fsync_seconds_(
          prometheus::BuildHistogram()
              .Name("atmwatch_wal_fsync_duration_seconds")
              .Help("Time to fsync one group of batches.")
              .Register(registry)
              .Add({}, prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.002, 0.005, 0.01,
                                                               0.02, 0.05, 0.1, 0.5, 1})),
      group_batches_(
          prometheus::BuildHistogram()
              .Name("atmwatch_wal_group_batches")
              .Help("Batches made durable by one fsync.")
              .Register(registry)
              .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 5, 10, 50, 100, 500, 1000})),
      bytes_written_(Counter(registry, "atmwatch_wal_written_bytes_total",
                             "Bytes of batch records appended to the write-ahead log.")),
      write_errors_(Counter(registry, "atmwatch_wal_write_errors_total",
                            "Appends or fsyncs of the write-ahead log that failed (disk full, "
                            "I/O error); batches are then refused, never acknowledged.")),
      healthy_(Gauge(registry, "atmwatch_wal_healthy",
                     "1 while the write-ahead log takes writes; 0 while batches are refused.")),
      fsync_enabled_(Gauge(registry, "atmwatch_wal_fsync_enabled",
                           "1 when acks wait for fsync; 0 when the operator turned fsync off "
                           "(wal.fsync: false) and an acknowledged batch can be lost with the "
                           "machine.")),
      segments_(Gauge(registry, "atmwatch_wal_segments", "Segment files of the write-ahead log.")),
      replayed_records_(Gauge(registry, "atmwatch_recovery_replayed_records",
                              "Batch records above the snapshot applied from the WAL at the "
                              "last start-up.")),
      replay_seconds_(Gauge(registry, "atmwatch_recovery_duration_seconds",
                            "Time the last start-up took to load the snapshot and replay the "
                            "log.")),
      missing_records_(Gauge(registry, "atmwatch_recovery_missing_records",
                             "Records the last start-up found in no usable snapshot and not in "
                             "the WAL (the log line names their LSNs); acknowledged batches "
                             "that are not counted. 0 when nothing is missing.")),
      corrupt_bytes_(Counter(registry, "atmwatch_wal_corrupt_bytes_total",
                             "Bytes dropped from the middle of WAL segments as damaged.")),
      torn_tail_bytes_(Counter(registry, "atmwatch_wal_torn_tail_bytes_total",
                               "Bytes of torn writes cut off the end of the log at start-up.")),
      snapshot_seconds_(Gauge(registry, "atmwatch_snapshot_duration_seconds",
                              "Time the last snapshot took to write.")),
      snapshot_bytes_(
          Gauge(registry, "atmwatch_snapshot_size_bytes", "Size of the last snapshot.")),
      snapshot_time_(Gauge(registry, "atmwatch_snapshot_last_success_timestamp_seconds",
                           "When the last snapshot was written.")),
      snapshot_errors_(Counter(registry, "atmwatch_snapshot_errors_total",
                               "Snapshots that could not be written.")),
      snapshots_skipped_(Counter(registry, "atmwatch_snapshot_damaged_total",
                                 "Snapshots skipped at start-up because they failed their "
                                 "checks.")) {
  healthy_.Set(1);
}

void WalMetrics::RecordReplay(double applied_records, double seconds, double corrupt_bytes,
                              double torn_bytes) {
  replayed_records_.Set(applied_records);
  replay_seconds_.Set(seconds);
  corrupt_bytes_.Increment(corrupt_bytes);
  torn_tail_bytes_.Increment(torn_bytes);
}

void WalMetrics::SnapshotWritten(double seconds, double bytes, double unix_time) {
  snapshot_seconds_.Set(seconds);
  snapshot_bytes_.Set(bytes);
  snapshot_time_.Set(unix_time);
}

}  // namespace atmwatch::metrics
