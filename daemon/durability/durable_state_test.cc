#include "durability/durable_state.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "atmwatch/v1/ingest.pb.h"
#include "engine/engine.h"
#include "ingest/ingest_pipeline.h"
#include "metrics/ingest_metrics.h"
#include "metrics/wal_metrics.h"
#include "testing/temp_dir.h"
#include "wal/segment_dir.h"

namespace atmwatch::durability {
namespace {

using atmwatch::testing::TempDir;

// A log written by hand through BatchLog: batches of source "s", and gaps
// in the LSNs where a test wants them.
class HandWrittenLog {
 public:
  explicit HandWrittenLog(const std::string& data_dir) {
    EXPECT_TRUE(wal::BatchLog::Open(data_dir + "/wal", {}, &log_).ok());
    wal::ReplayReport report;
    EXPECT_TRUE(log_->Replay(
                        0, false, [](std::uint64_t, std::string_view) {}, &report)
                    .ok());
  }
  void Batch() {
    v1::Batch batch;
    batch.set_source_id("s");
    batch.set_seq(++seq_);
    auto* tx = batch.add_events()->mutable_transaction();
    tx->set_atm_id("ATM0001");
    tx->set_type(v1::AtmTransaction::WITHDRAWAL);
    tx->set_result(v1::AtmTransaction::APPROVED);
    EXPECT_TRUE(log_->Append(batch.SerializeAsString()).ok());
  }
  // The probe group commit wrote after a failed write (0.7 and earlier).
  void Probe() { EXPECT_TRUE(log_->Append("").ok()); }
  // LSNs spent by appends that never reached the log (0.7 and earlier).
  void Skip(std::uint64_t lsns) { log_->set_last_lsn_at_least(log_->last_lsn() + lsns); }
  void Sync() { EXPECT_TRUE(log_->Commit(/*sync=*/true).ok()); }

 private:
  std::unique_ptr<wal::BatchLog> log_;
  std::uint64_t seq_ = 0;
};

// Recovers `data_dir` as atmwatchd would.
class Recovery {
 public:
  Recovery(const std::string& data_dir, bool strict)
      : ingest_metrics_(registry_),
        wal_metrics_(registry_),
        engine_(engine::EngineConfig{}),
        pipeline_(engine_, ingest_metrics_, ingest::PipelineLimits{}, [] {
          return std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
              .count();
        }) {
    DurabilityOptions options;
    options.data_dir = data_dir;
    options.strict = strict;
    durable_ = std::make_unique<DurableState>(options, engine_, pipeline_, wal_metrics_);
  }
  Status Run(RecoveryReport* report) { return durable_->Recover(report); }
  void Abandon() { durable_->AbandonRecovery(); }
  std::uint64_t applied_seq() const { return pipeline_.AppliedSeqs().at("s"); }

 private:
  prometheus::Registry registry_;
  metrics::IngestMetrics ingest_metrics_;
  metrics::WalMetrics wal_metrics_;
  engine::Engine engine_;
  ingest::IngestPipeline pipeline_;
  std::unique_ptr<DurableState> durable_;
};

TEST(DurableStateTest, GapEndingAtAProbeIsAFailedWriteNotMissingHistory) {
  TempDir dir;
  {
    HandWrittenLog log(dir.path());
    for (int i = 0; i < 3; ++i) log.Batch();  // LSNs 1..3
    log.Skip(4);                              // a failed group: 4..7
    log.Probe();                              // 8
    log.Batch();                              // 9
    log.Sync();
  }
  Recovery recovery(dir.path(), /*strict=*/true);
  RecoveryReport report;
  ASSERT_TRUE(recovery.Run(&report).ok());
  EXPECT_EQ(report.missing, 0u);
  EXPECT_EQ(report.applied, 4u);
  EXPECT_EQ(report.replay.records, 5u);  // the probe is read, not applied
  EXPECT_EQ(recovery.applied_seq(), 4u);
}

TEST(DurableStateTest, GapEndingAtABatchIsMissingHistoryAndStrictRefusesNamingIt) {
  TempDir dir;
  {
    HandWrittenLog log(dir.path());
    for (int i = 0; i < 3; ++i) log.Batch();  // LSNs 1..3
    log.Skip(2);                              // 4..5 gone without a failed write's probe
    log.Batch();                              // 6
    log.Sync();
  }
  {
    Recovery recovery(dir.path(), /*strict=*/true);
    RecoveryReport report;
    const Status status = recovery.Run(&report);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.message(),
              "2 records are missing: LSNs 4..5, with no usable snapshot; refusing to start "
              "(wal.strict). Restore the data directory from a backup, or start without "
              "wal.strict to run without them");
  }
  Recovery recovery(dir.path(), /*strict=*/false);
  RecoveryReport report;
  ASSERT_TRUE(recovery.Run(&report).ok());
  EXPECT_EQ(report.missing, 2u);
  EXPECT_EQ(report.applied, 4u);
}

TEST(DurableStateTest, AbandonedRecoveryAppliesNothingAndCutsNothing) {
  TempDir dir;
  {
    HandWrittenLog log(dir.path());
    for (int i = 0; i < 3; ++i) log.Batch();
    log.Sync();
  }
  const std::string segment = dir.Join("wal/" + wal::SegmentDir::SegmentFileName(1));
  std::ofstream(segment, std::ios::binary | std::ios::app) << "torn";
  const auto size = std::filesystem::file_size(segment);

  Recovery recovery(dir.path(), /*strict=*/false);
  RecoveryReport report;
  recovery.Abandon();
  ASSERT_TRUE(recovery.Run(&report).ok());
  EXPECT_TRUE(report.abandoned);
  EXPECT_EQ(report.applied, 0u);
  EXPECT_EQ(std::filesystem::file_size(segment), size);
}

}  // namespace
}  // namespace atmwatch::durability
