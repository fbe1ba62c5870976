#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace atmwatch::ingest {

// Splits a byte stream into length-delimited frames (a base-128 varint byte
// count, then that many bytes), the framing protobuf's delimited format uses.
//
// Bytes arrive in arbitrary pieces: a frame may be split at any byte, and one
// read may hold many frames. The decoder buffers at most one frame plus one
// read, so a peer can never make it hold more than max_frame_bytes + the read
// size. Not thread-safe; one per connection.
class FrameDecoder {
 public:
  enum class Result {
    kFrame,     // *frame holds the next frame's payload
    kNeedMore,  // the buffer ends inside a length prefix or a payload
    kError,     // the stream is broken; error() says why, nothing more comes out
  };

  explicit FrameDecoder(std::size_t max_frame_bytes);

  // A writable region of at least min_bytes for the next read; valid until
  // the next call on the decoder. Follow with Commit(bytes actually read).
  std::span<std::byte> Prepare(std::size_t min_bytes);
  void Commit(std::size_t bytes);
  // Copies bytes in; the same as Prepare + memcpy + Commit.
  void Feed(std::span<const std::byte> bytes);

  // The next complete frame. A returned view stays valid until the next
  // Prepare/Feed call.
  Result Next(std::string_view* frame);

  // Short reason once Next returned kError: "frame_too_large" or
  // "bad_length_prefix". Used as a metric label, so the set is fixed.
  std::string_view error() const { return error_; }
  std::size_t buffered_bytes() const { return end_ - begin_; }

 private:
  std::size_t max_frame_bytes_;
  std::vector<std::byte> buffer_;
  std::size_t begin_ = 0;  // first unconsumed byte
  std::size_t end_ = 0;    // one past the last received byte
  std::string_view error_;
};

}  // namespace atmwatch::ingest
