#include "jetstream/settlement.h"

namespace atmwatch::jetstream {

Settlement SettlementOf(const v1::Ack& ack) {
  switch (ack.error()) {
    case v1::Ack::NONE:
      return ack.accepted() == 0 && ack.duplicates() > 0 ? Settlement::kDuplicate
                                                         : Settlement::kApplied;
    case v1::Ack::SEQ_GAP:
      return Settlement::kSeqGap;
    case v1::Ack::INVALID_BATCH:
      return Settlement::kInvalidBatch;
    case v1::Ack::UNAVAILABLE:
      return Settlement::kUnavailable;
    default:
      // An error this build does not know: retrying is the safe answer.
      return Settlement::kUnavailable;
  }
}

std::string_view SettlementName(Settlement s) {
  switch (s) {
    case Settlement::kApplied:
      return "applied";
    case Settlement::kDuplicate:
      return "duplicate";
    case Settlement::kInvalidBatch:
      return "invalid_batch";
    case Settlement::kUndecodable:
      return "undecodable";
    case Settlement::kUnavailable:
      return "unavailable";
    case Settlement::kSeqGap:
      return "seq_gap";
  }
  return "unknown";
}

}  // namespace atmwatch::jetstream
