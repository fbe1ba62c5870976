#include "ingest/ingest_pipeline.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <future>

#include "engine/engine.h"
#include "ingest/group_commit.h"
#include "metrics/ingest_metrics.h"
#include "metrics/wal_metrics.h"
#include "testing/temp_dir.h"
#include "wal/batch_log.h"

namespace atmwatch::ingest {
namespace {

using atmwatch::testing::TempDir;

constexpr std::int64_t kNow = 1700000000000;

v1::Envelope Withdrawal(const std::string& atm) {
  v1::Envelope e;
  e.set_time_unix_ms(kNow);
  auto* tx = e.mutable_transaction();
  tx->set_atm_id(atm);
  tx->set_type(v1::AtmTransaction::WITHDRAWAL);
  tx->set_result(v1::AtmTransaction::APPROVED);
  tx->set_amount_yen(10000);
  return e;
}

std::vector<engine::InventoryEntry> Inventory(std::initializer_list<const char*> ids) {
  std::vector<engine::InventoryEntry> inventory;
  for (const char* id : ids)
    inventory.push_back(engine::InventoryEntry{
        .id = id, .site = "", .region = "", .installed = "", .line_id = "", .carrier = ""});
  return inventory;
}

class IngestPipelineTest : public ::testing::Test {
 protected:
  IngestPipelineTest()
      : metrics_(registry_),
        wal_metrics_(registry_),
        engine_(Inventory({"ATM0001", "ATM0002"}), /*max_unknown_atms=*/1),
        pipeline_(engine_, metrics_, PipelineLimits{}, [] { return kNow; }) {
    wal::ReplayReport report;
    EXPECT_TRUE(wal::BatchLog::Open(dir_.path(), {}, &log_).ok());
    EXPECT_TRUE(log_->Replay(
                        0, false, [](std::uint64_t, std::string_view) {}, &report)
                    .ok());
    commit_ = std::make_unique<GroupCommit>(*log_, wal_metrics_, GroupCommitOptions{}, nullptr);
    commit_->Start();
    pipeline_.AttachCommit(commit_.get());
  }
  ~IngestPipelineTest() override { commit_->Stop(); }

  v1::Batch MakeBatch(std::uint64_t seq, std::vector<v1::Envelope> events,
                      std::string source = "test-source") {
    v1::Batch batch;
    batch.set_source_id(std::move(source));
    batch.set_seq(seq);
    for (auto& e : events) *batch.add_events() = std::move(e);
    return batch;
  }

  std::uint64_t Withdrawals(const std::string& atm) {
    std::uint64_t count = 0;
    engine_.ForEachAtm([&](const engine::AtmView& view) {
      if (view.id == atm) {
        count = view.transactions[v1::AtmTransaction::WITHDRAWAL][v1::AtmTransaction::APPROVED];
      }
    });
    return count;
  }

  TempDir dir_;
  prometheus::Registry registry_;
  metrics::IngestMetrics metrics_;
  metrics::WalMetrics wal_metrics_;
  std::unique_ptr<wal::BatchLog> log_;
  std::unique_ptr<GroupCommit> commit_;
  engine::Engine engine_;
  IngestPipeline pipeline_;
};

TEST_F(IngestPipelineTest, BadEventIsRejectedAndTheRestApplied) {
  auto bad = Withdrawal("ATM0001");
  bad.mutable_transaction()->set_amount_yen(-3);
  const auto ack =
      pipeline_.SubmitAndWait(MakeBatch(1, {Withdrawal("ATM0001"), bad, Withdrawal("ATM0002")}));
  EXPECT_EQ(ack.error(), v1::Ack::NONE);
  EXPECT_EQ(ack.accepted(), 2u);
  ASSERT_EQ(ack.rejected_size(), 1);
  EXPECT_EQ(ack.rejected(0).index(), 1u);
  EXPECT_EQ(ack.rejected(0).reason(), "bad_amount");
  EXPECT_EQ(ack.next_seq(), 2u);
  EXPECT_EQ(Withdrawals("ATM0001"), 1u);
  EXPECT_EQ(Withdrawals("ATM0002"), 1u);
}

TEST_F(IngestPipelineTest, RetriedBatchIsAckedAsDuplicatesAndNotAppliedTwice) {
  const auto batch = MakeBatch(1, {Withdrawal("ATM0001"), Withdrawal("ATM0001")});
  ASSERT_EQ(pipeline_.SubmitAndWait(batch).accepted(), 2u);
  const auto again = pipeline_.SubmitAndWait(batch);
  EXPECT_EQ(again.accepted(), 0u);
  EXPECT_EQ(again.duplicates(), 2u);
  EXPECT_EQ(again.next_seq(), 2u);
  EXPECT_EQ(Withdrawals("ATM0001"), 2u);
}

TEST_F(IngestPipelineTest, SeqGapRefusesTheWholeBatch) {
  const auto ack = pipeline_.SubmitAndWait(MakeBatch(3, {Withdrawal("ATM0001")}));
  EXPECT_EQ(ack.error(), v1::Ack::SEQ_GAP);
  EXPECT_EQ(ack.next_seq(), 1u);
  EXPECT_EQ(Withdrawals("ATM0001"), 0u);
}

TEST_F(IngestPipelineTest, SeqZeroAsksForTheNextSeq) {
  ASSERT_EQ(pipeline_.SubmitAndWait(MakeBatch(1, {Withdrawal("ATM0001")})).accepted(), 1u);
  EXPECT_EQ(pipeline_.SubmitAndWait(MakeBatch(0, {})).next_seq(), 2u);
  EXPECT_EQ(pipeline_.SubmitAndWait(MakeBatch(0, {}, "never-seen")).next_seq(), 1u);
  EXPECT_EQ(pipeline_.SubmitAndWait(MakeBatch(0, {Withdrawal("ATM0001")})).error(),
            v1::Ack::INVALID_BATCH);
}

TEST_F(IngestPipelineTest, SourcesAreNumberedIndependently) {
  EXPECT_EQ(pipeline_.SubmitAndWait(MakeBatch(1, {Withdrawal("ATM0001")}, "a")).accepted(), 1u);
  EXPECT_EQ(pipeline_.SubmitAndWait(MakeBatch(1, {Withdrawal("ATM0001")}, "b")).accepted(), 1u);
  EXPECT_EQ(Withdrawals("ATM0001"), 2u);
}

TEST_F(IngestPipelineTest, LastBatchTimeIsTrackedPerSourceUpToTheCap) {
  PipelineLimits limits;
  limits.max_sources = 1;
  pipeline_.SetLimits(limits);
  EXPECT_EQ(pipeline_.SubmitAndWait(MakeBatch(1, {Withdrawal("ATM0001")}, "a")).accepted(), 1u);
  EXPECT_EQ(pipeline_.SubmitAndWait(MakeBatch(1, {Withdrawal("ATM0001")}, "b")).accepted(), 1u);
  const SourceFreshness freshness = pipeline_.Freshness();
  ASSERT_EQ(freshness.last_batch_unix_ms.size(), 1u);
  EXPECT_EQ(freshness.last_batch_unix_ms[0].first, "a");
  EXPECT_EQ(freshness.last_batch_unix_ms[0].second, kNow);
  EXPECT_EQ(freshness.sources, 2u);
}

TEST_F(IngestPipelineTest, BatchWithoutSourceIsInvalid) {
  const auto ack = pipeline_.SubmitAndWait(MakeBatch(1, {Withdrawal("ATM0001")}, ""));
  EXPECT_EQ(ack.error(), v1::Ack::INVALID_BATCH);
  EXPECT_EQ(Withdrawals("ATM0001"), 0u);
}

TEST_F(IngestPipelineTest, UnknownAtmsBeyondTheCapAreRejected) {
  const auto ack = pipeline_.SubmitAndWait(MakeBatch(1, {Withdrawal("NEW1"), Withdrawal("NEW2")}));
  EXPECT_EQ(ack.accepted(), 1u);
  ASSERT_EQ(ack.rejected_size(), 1);
  EXPECT_EQ(ack.rejected(0).index(), 1u);
  EXPECT_EQ(ack.rejected(0).reason(), "unknown_atm_cap");
  EXPECT_EQ(engine_.unknown_atms(), 1u);
}

TEST_F(IngestPipelineTest, AcceptedBatchesAreInTheLogBeforeTheirAck) {
  ASSERT_EQ(pipeline_.SubmitAndWait(MakeBatch(1, {Withdrawal("ATM0001"), Withdrawal("ATM0002")}))
                .accepted(),
            2u);
  auto bad = Withdrawal("ATM0001");
  bad.mutable_transaction()->set_amount_yen(-1);
  ASSERT_EQ(pipeline_.SubmitAndWait(MakeBatch(2, {bad, Withdrawal("ATM0001")})).accepted(), 1u);
  commit_->Stop();

  // A fresh engine rebuilt from the log alone has the same counts.
  std::unique_ptr<wal::BatchLog> reread;
  ASSERT_TRUE(wal::BatchLog::Open(dir_.path(), {}, &reread).ok());
  engine::Engine rebuilt(Inventory({"ATM0001", "ATM0002"}), 1);
  IngestPipeline replayed(rebuilt, metrics_, PipelineLimits{}, [] { return kNow; });
  wal::ReplayReport report;
  ASSERT_TRUE(reread
                  ->Replay(
                      0, false,
                      [&](std::uint64_t, std::string_view bytes) {
                        v1::Batch record;
                        ASSERT_TRUE(
                            record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
                        replayed.Replay(record);
                      },
                      &report)
                  .ok());
  EXPECT_EQ(report.records, 2u);
  EXPECT_EQ(replayed.AppliedSeqs().at("test-source"), 2u);
  EXPECT_EQ(rebuilt.SerializeState(), engine_.SerializeState());
}

TEST_F(IngestPipelineTest, WireBatchIsLoggedAsItsBytesUnlessAnEventIsRejected) {
  const std::string clean =
      MakeBatch(1, {Withdrawal("ATM0001"), Withdrawal("ATM0002")}).SerializeAsString();
  auto bad = Withdrawal("ATM0002");
  bad.mutable_transaction()->set_amount_yen(-1);
  const std::string mixed = MakeBatch(2, {Withdrawal("ATM0001"), bad}).SerializeAsString();
  for (const std::string* wire : {&clean, &mixed}) {
    std::promise<v1::Ack> acked;
    pipeline_.Submit(DecodedBatch::Parse(*wire),
                     [&acked](const v1::Ack& ack) { acked.set_value(ack); });
    EXPECT_EQ(acked.get_future().get().error(), v1::Ack::NONE);
  }
  commit_->Stop();

  std::unique_ptr<wal::BatchLog> reread;
  ASSERT_TRUE(wal::BatchLog::Open(dir_.path(), {}, &reread).ok());
  std::vector<std::string> records;
  wal::ReplayReport report;
  ASSERT_TRUE(reread
                  ->Replay(
                      0, false,
                      [&](std::uint64_t, std::string_view bytes) { records.emplace_back(bytes); },
                      &report)
                  .ok());
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], clean);
  v1::Batch logged;
  ASSERT_TRUE(logged.ParseFromString(records[1]));
  ASSERT_EQ(logged.events_size(), 1);  // the rejected event is not replayed
  EXPECT_EQ(logged.events(0).transaction().atm_id(), "ATM0001");
  EXPECT_EQ(logged.seq(), 2u);
}

TEST_F(IngestPipelineTest, UnparsableFrameGivesNoBatch) {
  EXPECT_EQ(DecodedBatch::Parse("\xff\xff\xff"), nullptr);
}

TEST_F(IngestPipelineTest, ReplayAppliesEachSeqOnce) {
  v1::Batch record = MakeBatch(1, {Withdrawal("ATM0001")});
  engine::Engine fresh(Inventory({"ATM0001"}), 0);
  IngestPipeline replaying(fresh, metrics_, PipelineLimits{}, [] { return kNow; });
  replaying.Replay(record);
  replaying.Replay(record);  // a retried batch written twice, e.g. across a failed fsync
  std::uint64_t count = 0;
  fresh.ForEachAtm([&](const engine::AtmView& view) {
    count = view.transactions[v1::AtmTransaction::WITHDRAWAL][v1::AtmTransaction::APPROVED];
  });
  EXPECT_EQ(count, 1u);
}

TEST_F(IngestPipelineTest, NothingIsAcceptedBeforeRecoveryAttachesTheLog) {
  engine::Engine fresh(Inventory({"ATM0001"}), 0);
  IngestPipeline starting(fresh, metrics_, PipelineLimits{}, [] { return kNow; });
  const auto ack = starting.SubmitAndWait(MakeBatch(1, {Withdrawal("ATM0001")}));
  EXPECT_EQ(ack.error(), v1::Ack::UNAVAILABLE);
  EXPECT_EQ(ack.accepted(), 0u);
}

TEST_F(IngestPipelineTest, TooManyEventsMakeAnInvalidBatch) {
  PipelineLimits limits;
  limits.max_batch_events = 2;
  pipeline_.SetLimits(limits);
  const auto ack = pipeline_.SubmitAndWait(
      MakeBatch(1, {Withdrawal("ATM0001"), Withdrawal("ATM0001"), Withdrawal("ATM0001")}));
  EXPECT_EQ(ack.error(), v1::Ack::INVALID_BATCH);
  EXPECT_NE(ack.error_detail().find("ingest.max_batch_events"), std::string::npos);
}

}  // namespace
}  // namespace atmwatch::ingest
