#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace atmwatch::metrics {

// The write-ahead log and snapshots, as an SRE on call wants to see them:
// fsync latency, group sizes, errors, health, and what recovery found.
// Thread-safe (prometheus-cpp metrics are).
class WalMetrics {
 public:
  explicit WalMetrics(prometheus::Registry& registry);

  void ObserveFsync(double seconds) { fsync_seconds_.Observe(seconds); }
  void ObserveGroup(double batches, double bytes) {
    group_batches_.Observe(batches);
    bytes_written_.Increment(bytes);
  }
  void CountWriteError() { write_errors_.Increment(); }
  void SetHealthy(bool healthy) { healthy_.Set(healthy ? 1 : 0); }
  void SetFsyncEnabled(bool enabled) { fsync_enabled_.Set(enabled ? 1 : 0); }
  void SetSegments(double n) { segments_.Set(n); }

  void RecordReplay(double applied_records, double seconds, double corrupt_bytes,
                    double torn_bytes);
  void SetMissingRecords(double n) { missing_records_.Set(n); }
  void SnapshotWritten(double seconds, double bytes, double unix_time);
  void CountSnapshotError() { snapshot_errors_.Increment(); }
  void CountSkippedSnapshot() { snapshots_skipped_.Increment(); }

 private:
  prometheus::Histogram& fsync_seconds_;
  prometheus::Histogram& group_batches_;
  prometheus::Counter& bytes_written_;
  prometheus::Counter& write_errors_;
  prometheus::Gauge& healthy_;
  prometheus::Gauge& fsync_enabled_;
  prometheus::Gauge& segments_;
  prometheus::Gauge& replayed_records_;
  prometheus::Gauge& replay_seconds_;
  prometheus::Gauge& missing_records_;
  prometheus::Counter& corrupt_bytes_;
  prometheus::Counter& torn_tail_bytes_;
  prometheus::Gauge& snapshot_seconds_;
  prometheus::Gauge& snapshot_bytes_;
  prometheus::Gauge& snapshot_time_;
  prometheus::Counter& snapshot_errors_;
  prometheus::Counter& snapshots_skipped_;
};

}  // namespace atmwatch::metrics
