#pragma once

#include <google/protobuf/arena.h>

#include <memory>
#include <string>
#include <string_view>

#include "atmwatch/v1/ingest.pb.h"

namespace atmwatch::ingest {

// A batch as the pipeline holds it from submit to ack. Parsed off the wire,
// its messages live in an arena of their own, so the thousand small
// allocations of a parse are bumps of one pointer and go in one free with
// the batch; and it keeps the bytes it was parsed from, so a batch whose
// events all pass validation is logged as those bytes, not encoded again.
class DecodedBatch {
 public:
  // nullptr when `frame` is not a serialized v1::Batch.
  static std::unique_ptr<DecodedBatch> Parse(std::string_view frame);
  // A copy of a batch built in memory (HTTP JSON, tests); it has no wire bytes.
  static std::unique_ptr<DecodedBatch> CopyOf(const v1::Batch& batch);

  const v1::Batch& batch() const { return *batch_; }
  // The bytes batch() was parsed from; empty for a copy, and for a batch
  // that carried an auth_token, so the token is never logged verbatim.
  std::string_view wire() const { return wire_; }

  // Moves the batch's auth_token out (empty when it had none), leaving the
  // field cleared; the connection that read the batch keeps the credential.
  std::string TakeAuthToken();

 private:
  explicit DecodedBatch(const google::protobuf::ArenaOptions& options);

  google::protobuf::Arena arena_;
  v1::Batch* batch_;  // on arena_
  std::string wire_;
};

}  // namespace atmwatch::ingest
