// Fuzz target: the ingest port's byte stream, as IngestServer and
// IngestPipeline take it. Frames come out of FrameDecoder, each frame is
// parsed as a Batch, every event is validated and the ones that pass are
// applied to an engine.
//
// Invariants checked besides "no crash, no leak, no undefined behaviour":
//  - the decoder hands out exactly the bytes it was given: each frame is the
//    slice after its length prefix, in order, and what it holds back is at
//    most one unfinished frame;
//  - the frames (and the error) are the same whichever pieces the stream
//    arrives in, and a frame re-encoded with a canonical prefix decodes to
//    itself;
//  - a parsed Batch serializes to bytes that parse back to the same Batch;
//  - validation is pure, and an event that passes it applies to the engine;
//  - the engine's state survives SerializeState/RestoreState byte for byte.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "atmwatch/v1/ingest.pb.h"
#include "engine/engine.h"
#include "events/event_kind.h"
#include "fuzz_check.h"
#include "ingest/event_validator.h"
#include "ingest/frame_decoder.h"

namespace {

using atmwatch::ingest::FrameDecoder;

constexpr std::size_t kMaxFrameBytes = 64 * 1024;
constexpr std::size_t kMaxPrefixBytes = 5;
constexpr std::int64_t kNowMs = 1767225600000;  // 2026-01-01T00:00:00Z

struct Decoded {
  std::vector<std::string> frames;
  std::string error;
};

// Feeds `stream` in pieces of `piece` bytes, alternating Feed and
// Prepare/Commit, and drains the frames after every piece.
Decoded DecodeInPieces(std::span<const std::byte> stream, std::size_t piece) {
  FrameDecoder decoder(kMaxFrameBytes);
  Decoded out;
  std::size_t fed = 0;
  std::size_t consumed = 0;
  for (bool use_feed = true;; use_feed = !use_feed) {
    std::string_view frame;
    FrameDecoder::Result result;
    while ((result = decoder.Next(&frame)) == FrameDecoder::Result::kFrame) {
      FUZZ_CHECK(frame.size() <= kMaxFrameBytes);
      consumed += frame.size() + 1;  // at least a one-byte prefix
      FUZZ_CHECK(consumed <= fed);
      out.frames.emplace_back(frame);
    }
    if (result == FrameDecoder::Result::kError) {
      FUZZ_CHECK(!decoder.error().empty());
      FUZZ_CHECK(decoder.Next(&frame) == FrameDecoder::Result::kError);  // it stays broken
      out.error = decoder.error();
      return out;
    }
    FUZZ_CHECK(decoder.buffered_bytes() <= fed);
    FUZZ_CHECK(decoder.buffered_bytes() < kMaxPrefixBytes + kMaxFrameBytes);
    if (fed == stream.size()) return out;
    const std::size_t n = std::min(piece, stream.size() - fed);
    if (use_feed) {
      decoder.Feed(stream.subspan(fed, n));
    } else {
      const std::span<std::byte> space = decoder.Prepare(n);
      FUZZ_CHECK(space.size() >= n);
      std::memcpy(space.data(), stream.data() + fed, n);
      decoder.Commit(n);
    }
    fed += n;
  }
}

std::string CanonicalPrefix(std::size_t length) {
  std::string out;
  do {
    auto byte = static_cast<char>(length & 0x7f);
    length >>= 7;
    if (length != 0) byte = static_cast<char>(byte | 0x80);
    out.push_back(byte);
  } while (length != 0);
  return out;
}

// Walks the stream with an independent varint reader and checks each frame
// is the slice after its prefix.
void CheckFramesAreSlices(std::string_view stream, const std::vector<std::string>& frames) {
  std::size_t pos = 0;
  for (const std::string& frame : frames) {
    std::uint64_t length = 0;
    std::size_t prefix = 0;
    for (;; ++prefix) {
      FUZZ_CHECK(prefix < kMaxPrefixBytes && pos + prefix < stream.size());
      const auto byte = static_cast<std::uint8_t>(stream[pos + prefix]);
      length |= std::uint64_t{byte & 0x7fu} << (7 * prefix);
      if ((byte & 0x80) == 0) break;
    }
    ++prefix;
    FUZZ_CHECK(length == frame.size());
    FUZZ_CHECK(stream.substr(pos + prefix, frame.size()) == frame);
    pos += prefix + frame.size();
  }
}

void CheckCanonicalRoundTrip(const std::string& frame) {
  const std::string encoded = CanonicalPrefix(frame.size()) + frame;
  const Decoded again =
      DecodeInPieces(std::as_bytes(std::span(encoded.data(), encoded.size())), encoded.size());
  FUZZ_CHECK(again.error.empty());
  FUZZ_CHECK(again.frames.size() == 1 && again.frames[0] == frame);
}

std::vector<atmwatch::engine::InventoryEntry> Inventory() {
  return {{"ATM0001", "Parlor Shinjuku 1", "kanto", "2008-05-01", "819012345678", "docomo"},
          {"ATM0002", "Shop Umeda 2", "kansai", "", "", ""}};
}

void CheckBatch(const std::string& frame, atmwatch::engine::Engine* engine) {
  atmwatch::v1::Batch batch;
  if (!batch.ParseFromString(frame)) return;
  const std::string bytes = batch.SerializeAsString();
  atmwatch::v1::Batch again;
  FUZZ_CHECK(again.ParseFromString(bytes));
  FUZZ_CHECK(again.SerializeAsString() == bytes);

  atmwatch::ingest::ValidationLimits limits;
  limits.max_event_age_ms = 0;  // backfills: let old seed events through to the engine
  for (const auto& event : batch.events()) {
    const auto verdict = atmwatch::ingest::ValidateEvent(event, limits, kNowMs);
    const auto verdict_again = atmwatch::ingest::ValidateEvent(event, limits, kNowMs);
    FUZZ_CHECK(verdict.has_value() == verdict_again.has_value());
    FUZZ_CHECK(!atmwatch::events::KindName(atmwatch::events::KindOf(event)).empty());
    if (verdict) {
      FUZZ_CHECK(!verdict->reason.empty() && verdict->reason == verdict_again->reason);
      continue;
    }
    (void)engine->Apply(event);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  QuietProtobufLog();
  const std::string_view stream(reinterpret_cast<const char*>(data), size);
  const auto bytes = std::as_bytes(std::span(data, size));

  const Decoded whole = DecodeInPieces(bytes, size == 0 ? 1 : size);
  CheckFramesAreSlices(stream, whole.frames);
  const std::size_t piece = size == 0 ? 1 : 1 + data[size - 1] % 61;
  const Decoded pieces = DecodeInPieces(bytes, piece);
  FUZZ_CHECK(pieces.frames == whole.frames);
  FUZZ_CHECK(pieces.error == whole.error);

  atmwatch::engine::Engine engine(Inventory(), 16);
  for (const std::string& frame : whole.frames) {
    CheckCanonicalRoundTrip(frame);
    CheckBatch(frame, &engine);
  }

  const std::string state = engine.SerializeState();
  atmwatch::engine::Engine restored(Inventory(), 16);
  FUZZ_CHECK(restored.RestoreState(state));
  FUZZ_CHECK(restored.SerializeState() == state);
  return 0;
}
