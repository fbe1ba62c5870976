#include "ingest/frame_decoder.h"

#include <cstring>

namespace atmwatch::ingest {
namespace {

// A frame length fits in 32 bits; more than 5 varint bytes is never valid.
constexpr std::size_t kMaxPrefixBytes = 5;

enum class Prefix { kComplete, kIncomplete, kMalformed };

Prefix ParsePrefix(std::span<const std::byte> bytes, std::uint64_t* value, std::size_t* used) {
  std::uint64_t result = 0;
  for (std::size_t i = 0; i < bytes.size() && i < kMaxPrefixBytes; ++i) {
    const auto b = static_cast<std::uint8_t>(bytes[i]);
    result |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      *value = result;
      *used = i + 1;
      return Prefix::kComplete;
    }
  }
  return bytes.size() >= kMaxPrefixBytes ? Prefix::kMalformed : Prefix::kIncomplete;
}

}  // namespace

FrameDecoder::FrameDecoder(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}

std::span<std::byte> FrameDecoder::Prepare(std::size_t min_bytes) {
  if (begin_ == end_) {
    begin_ = end_ = 0;
  } else if (buffer_.size() - end_ < min_bytes && begin_ > 0) {
    // Move the unconsumed tail to the front before growing: the buffer then
    // never exceeds one partial frame plus one read.
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() - end_ < min_bytes) buffer_.resize(end_ + min_bytes);
  return {buffer_.data() + end_, buffer_.size() - end_};
}

void FrameDecoder::Commit(std::size_t bytes) { end_ += bytes; }

void FrameDecoder::Feed(std::span<const std::byte> bytes) {
  auto space = Prepare(bytes.size());
  if (!bytes.empty()) std::memcpy(space.data(), bytes.data(), bytes.size());
  Commit(bytes.size());
}

FrameDecoder::Result FrameDecoder::Next(std::string_view* frame) {
  if (!error_.empty()) return Result::kError;
  const std::span<const std::byte> pending(buffer_.data() + begin_, end_ - begin_);
  std::uint64_t length = 0;
  std::size_t prefix = 0;
  switch (ParsePrefix(pending, &length, &prefix)) {
    case Prefix::kIncomplete:
      return Result::kNeedMore;
    case Prefix::kMalformed:
      error_ = "bad_length_prefix";
      return Result::kError;
    case Prefix::kComplete:
      break;
  }
  if (length > max_frame_bytes_) {
    error_ = "frame_too_large";
    return Result::kError;
  }
  if (pending.size() - prefix < length) return Result::kNeedMore;
  *frame = std::string_view(reinterpret_cast<const char*>(pending.data() + prefix), length);
  begin_ += prefix + length;
  return Result::kFrame;
}

}  // namespace atmwatch::ingest
