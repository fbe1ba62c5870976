#include "ingest/decoded_batch.h"

#include <algorithm>

namespace atmwatch::ingest {
namespace {

// A parsed event takes about six times its encoded size (messages and
// strings); one block that fits the whole batch avoids growing the arena.
constexpr std::size_t kArenaBytesPerWireByte = 8;
constexpr std::size_t kMinArenaBlock = 4096;

google::protobuf::ArenaOptions OptionsFor(std::size_t wire_bytes) {
  google::protobuf::ArenaOptions options;
  options.start_block_size = std::max(kMinArenaBlock, kArenaBytesPerWireByte * wire_bytes);
  options.max_block_size = std::max(options.start_block_size, options.max_block_size);
  return options;
}

}  // namespace

DecodedBatch::DecodedBatch(const google::protobuf::ArenaOptions& options)
    : arena_(options), batch_(google::protobuf::Arena::CreateMessage<v1::Batch>(&arena_)) {}

std::unique_ptr<DecodedBatch> DecodedBatch::Parse(std::string_view frame) {
  std::unique_ptr<DecodedBatch> decoded(new DecodedBatch(OptionsFor(frame.size())));
  if (!decoded->batch_->ParseFromArray(frame.data(), static_cast<int>(frame.size()))) {
    return nullptr;
  }
  // A token is a secret: such a batch is encoded again, without it, when logged.
  if (decoded->batch_->auth_token().empty()) decoded->wire_.assign(frame);
  return decoded;
}

std::string DecodedBatch::TakeAuthToken() {
  std::string token = batch_->auth_token();
  batch_->clear_auth_token();
  return token;
}

std::unique_ptr<DecodedBatch> DecodedBatch::CopyOf(const v1::Batch& batch) {
  std::unique_ptr<DecodedBatch> decoded(new DecodedBatch(OptionsFor(0)));
  *decoded->batch_ = batch;
  return decoded;
}

}  // namespace atmwatch::ingest
