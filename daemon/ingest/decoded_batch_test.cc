#include "ingest/decoded_batch.h"

#include <gtest/gtest.h>

namespace atmwatch::ingest {
namespace {

v1::Batch OneEventBatch() {
  v1::Batch batch;
  batch.set_source_id("finance-ledger");
  batch.set_seq(7);
  batch.add_events()->set_time_unix_ms(1700000000000);
  return batch;
}

TEST(DecodedBatchTest, BatchWithoutTokenKeepsItsWireBytes) {
  const std::string frame = OneEventBatch().SerializeAsString();
  auto decoded = DecodedBatch::Parse(frame);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->wire(), frame);
  EXPECT_EQ(decoded->TakeAuthToken(), "");
}

TEST(DecodedBatchTest, TokenIsTakenOutAndTheWireBytesDropped) {
  v1::Batch batch = OneEventBatch();
  batch.set_auth_token("s3cret-ledger-token");
  auto decoded = DecodedBatch::Parse(batch.SerializeAsString());
  ASSERT_TRUE(decoded);
  // The pipeline logs wire() verbatim when it is there; it must not be.
  EXPECT_TRUE(decoded->wire().empty());
  EXPECT_EQ(decoded->TakeAuthToken(), "s3cret-ledger-token");
  EXPECT_EQ(decoded->batch().auth_token(), "");
  EXPECT_EQ(decoded->batch().SerializeAsString().find("s3cret"), std::string::npos);
  EXPECT_EQ(decoded->batch().events_size(), 1);
}

}  // namespace
}  // namespace atmwatch::ingest
