#pragma once

#include <string_view>

#include "atmwatch/v1/ingest.pb.h"

namespace atmwatch::jetstream {

// What becomes of a JetStream message once the pipeline has answered its
// batch. Ack removes it from the consumer for good; Nak asks JetStream to
// redeliver it after a delay.
enum class Settlement {
  kApplied,       // ack: durable and applied (per-event rejections included)
  kDuplicate,     // ack: applied before, e.g. a redelivery after a lost ack
  kInvalidBatch,  // ack: malformed, no retry can help; counted as rejected
  kUndecodable,   // ack: not a Batch at all; counted as rejected
  kUnavailable,   // nak: the log cannot take it now (disk full, shutting down)
  kSeqGap,        // nak: an earlier batch of the source is still on its way
};

constexpr int kSettlements = 6;

// The settlement for the pipeline's answer to one batch. A seq gap is
// retried rather than rejected: on a stream it means an earlier message of
// the same source is waiting for redelivery (naked, or unacked when a daemon
// died), and it will be applied first.
Settlement SettlementOf(const v1::Ack& ack);

inline bool IsAck(Settlement s) {
  return s != Settlement::kUnavailable && s != Settlement::kSeqGap;
}

// The metrics label: "applied", "duplicate", "invalid_batch", ...
std::string_view SettlementName(Settlement s);

}  // namespace atmwatch::jetstream
