#include "jetstream/settlement.h"

#include <gtest/gtest.h>

namespace atmwatch::jetstream {
namespace {

v1::Ack AckOf(v1::Ack::Error error, int accepted = 0, int duplicates = 0, int rejected = 0) {
  v1::Ack ack;
  ack.set_error(error);
  ack.set_accepted(accepted);
  ack.set_duplicates(duplicates);
  for (int i = 0; i < rejected; ++i) ack.add_rejected()->set_reason("unknown_atm");
  return ack;
}

TEST(SettlementTest, DurableBatchesAreAcked) {
  EXPECT_EQ(SettlementOf(AckOf(v1::Ack::NONE, 10)), Settlement::kApplied);
  // Events refused one by one are the pipeline's to count; the batch is done.
  EXPECT_EQ(SettlementOf(AckOf(v1::Ack::NONE, 8, 0, 2)), Settlement::kApplied);
  EXPECT_EQ(SettlementOf(AckOf(v1::Ack::NONE, 0, 0, 3)), Settlement::kApplied);
  EXPECT_TRUE(IsAck(Settlement::kApplied));
}

TEST(SettlementTest, ARedeliveryOfAnAppliedBatchIsAckedAsDuplicate) {
  EXPECT_EQ(SettlementOf(AckOf(v1::Ack::NONE, 0, 10)), Settlement::kDuplicate);
  EXPECT_TRUE(IsAck(Settlement::kDuplicate));
}

TEST(SettlementTest, MalformedBatchesAreAckedAsRejections) {
  EXPECT_EQ(SettlementOf(AckOf(v1::Ack::INVALID_BATCH)), Settlement::kInvalidBatch);
  EXPECT_TRUE(IsAck(Settlement::kInvalidBatch));
  EXPECT_TRUE(IsAck(Settlement::kUndecodable));
}

TEST(SettlementTest, TransientRefusalsAreNakedForRedelivery) {
  EXPECT_EQ(SettlementOf(AckOf(v1::Ack::UNAVAILABLE)), Settlement::kUnavailable);
  EXPECT_EQ(SettlementOf(AckOf(v1::Ack::SEQ_GAP)), Settlement::kSeqGap);
  EXPECT_FALSE(IsAck(Settlement::kUnavailable));
  EXPECT_FALSE(IsAck(Settlement::kSeqGap));
}

TEST(SettlementTest, NamesAreTheMetricLabels) {
  EXPECT_EQ(SettlementName(Settlement::kApplied), "applied");
  EXPECT_EQ(SettlementName(Settlement::kDuplicate), "duplicate");
  EXPECT_EQ(SettlementName(Settlement::kInvalidBatch), "invalid_batch");
  EXPECT_EQ(SettlementName(Settlement::kUndecodable), "undecodable");
  EXPECT_EQ(SettlementName(Settlement::kUnavailable), "unavailable");
  EXPECT_EQ(SettlementName(Settlement::kSeqGap), "seq_gap");
}

}  // namespace
}  // namespace atmwatch::jetstream
