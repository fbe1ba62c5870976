#include "ingest/frame_decoder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace atmwatch::ingest {
namespace {

std::string Varint(std::uint64_t value) {
  std::string out;
  do {
    std::uint8_t byte = value & 0x7f;
    value >>= 7;
    if (value) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (value);
  return out;
}

std::string Frame(const std::string& payload) { return Varint(payload.size()) + payload; }

void Feed(FrameDecoder& decoder, std::string_view bytes) {
  decoder.Feed(std::as_bytes(std::span(bytes.data(), bytes.size())));
}

// Drains every complete frame; returns the last result.
FrameDecoder::Result Drain(FrameDecoder& decoder, std::vector<std::string>* frames) {
  std::string_view frame;
  FrameDecoder::Result result;
  while ((result = decoder.Next(&frame)) == FrameDecoder::Result::kFrame) {
    frames->emplace_back(frame);
  }
  return result;
}

TEST(FrameDecoderTest, EmptyStreamNeedsMore) {
  FrameDecoder decoder(1024);
  std::string_view frame;
  EXPECT_EQ(decoder.Next(&frame), FrameDecoder::Result::kNeedMore);
}

TEST(FrameDecoderTest, ManyFramesInOneRead) {
  FrameDecoder decoder(1024);
  Feed(decoder, Frame("one") + Frame("") + Frame(std::string(300, 'x')) + Frame("four"));
  std::vector<std::string> frames;
  EXPECT_EQ(Drain(decoder, &frames), FrameDecoder::Result::kNeedMore);
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[0], "one");
  EXPECT_EQ(frames[1], "");  // a zero-length frame is an empty message, not an error
  EXPECT_EQ(frames[2], std::string(300, 'x'));
  EXPECT_EQ(frames[3], "four");
  EXPECT_EQ(decoder.buffered_bytes(), 0u);
}

// The stream split at every byte boundary, and byte by byte, gives the same frames.
TEST(FrameDecoderTest, SplitAtEveryByteBoundary) {
  const std::string stream = Frame("alpha") + Frame(std::string(200, 'b')) + Frame("") + Frame("c");
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    FrameDecoder decoder(1024);
    std::vector<std::string> frames;
    Feed(decoder, std::string_view(stream).substr(0, cut));
    ASSERT_NE(Drain(decoder, &frames), FrameDecoder::Result::kError) << "cut " << cut;
    Feed(decoder, std::string_view(stream).substr(cut));
    ASSERT_EQ(Drain(decoder, &frames), FrameDecoder::Result::kNeedMore) << "cut " << cut;
    ASSERT_EQ(frames.size(), 4u) << "cut " << cut;
    EXPECT_EQ(frames[1], std::string(200, 'b'));
  }
  FrameDecoder decoder(1024);
  std::vector<std::string> frames;
  for (char c : stream) {
    Feed(decoder, std::string_view(&c, 1));
    ASSERT_NE(Drain(decoder, &frames), FrameDecoder::Result::kError);
  }
  EXPECT_EQ(frames.size(), 4u);
}

TEST(FrameDecoderTest, PrepareAndCommitReadInPlace) {
  FrameDecoder decoder(1024);
  const std::string stream = Frame("in place");
  auto space = decoder.Prepare(stream.size());
  ASSERT_GE(space.size(), stream.size());
  std::memcpy(space.data(), stream.data(), stream.size());
  decoder.Commit(stream.size());
  std::string_view frame;
  ASSERT_EQ(decoder.Next(&frame), FrameDecoder::Result::kFrame);
  EXPECT_EQ(frame, "in place");
}

TEST(FrameDecoderTest, FrameAtTheLimitIsAccepted) {
  FrameDecoder decoder(100);
  Feed(decoder, Frame(std::string(100, 'z')));
  std::string_view frame;
  ASSERT_EQ(decoder.Next(&frame), FrameDecoder::Result::kFrame);
  EXPECT_EQ(frame.size(), 100u);
}

// An oversized frame is refused from its prefix alone, before its body arrives.
TEST(FrameDecoderTest, OversizeIsRefusedFromThePrefix) {
  FrameDecoder decoder(100);
  Feed(decoder, Varint(101));
  std::string_view frame;
  EXPECT_EQ(decoder.Next(&frame), FrameDecoder::Result::kError);
  EXPECT_EQ(decoder.error(), "frame_too_large");
  // Once broken, the stream stays broken.
  Feed(decoder, Frame("late"));
  EXPECT_EQ(decoder.Next(&frame), FrameDecoder::Result::kError);
}

TEST(FrameDecoderTest, HugeLengthIsTooLarge) {
  FrameDecoder decoder(4 << 20);
  Feed(decoder, Varint(0xFFFFFFFFull));
  std::string_view frame;
  EXPECT_EQ(decoder.Next(&frame), FrameDecoder::Result::kError);
  EXPECT_EQ(decoder.error(), "frame_too_large");
}

TEST(FrameDecoderTest, TruncatedVarintNeedsMore) {
  FrameDecoder decoder(1 << 20);
  const std::string prefix = Varint(300000);  // three bytes
  Feed(decoder, prefix.substr(0, 2));
  std::string_view frame;
  EXPECT_EQ(decoder.Next(&frame), FrameDecoder::Result::kNeedMore);
}

TEST(FrameDecoderTest, OverlongVarintIsBadPrefix) {
  FrameDecoder decoder(1 << 20);
  Feed(decoder, std::string(5, '\x80'));
  std::string_view frame;
  EXPECT_EQ(decoder.Next(&frame), FrameDecoder::Result::kError);
  EXPECT_EQ(decoder.error(), "bad_length_prefix");
}

TEST(FrameDecoderTest, BufferStaysWithinOneFrameAndOneRead) {
  FrameDecoder decoder(1000);
  const std::string frame = Frame(std::string(900, 'q'));
  for (int i = 0; i < 1000; ++i) {
    Feed(decoder, frame);
    std::vector<std::string> frames;
    ASSERT_EQ(Drain(decoder, &frames), FrameDecoder::Result::kNeedMore);
    ASSERT_EQ(frames.size(), 1u);
  }
  EXPECT_LE(decoder.Prepare(1).size() + decoder.buffered_bytes(), 2 * frame.size());
}

}  // namespace
}  // namespace atmwatch::ingest
