#include "metrics/exposition.h"

#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <string>
#include <thread>
#include <vector>

#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

// Writes `samples` samples of its own family, and notes the thread it ran on.
class CountingSource : public ScrapeSource {
 public:
  CountingSource(std::string name, int samples) : name_(std::move(name)), samples_(samples) {}

  void WriteText(TextWriter& out) const override {
    thread_ = std::this_thread::get_id();
    out.Family(name_, "A test family.", TextWriter::Type::kCounter);
    for (int i = 0; i < samples_; ++i) {
      out.Sample(name_, {{"n", std::to_string(i)}}, static_cast<double>(i));
    }
  }

  std::thread::id thread() const { return thread_; }

 private:
  std::string name_;
  int samples_;
  mutable std::thread::id thread_;
};

TEST(ExpositionTest, StreamedTextIsTheAppendedTextInPiecesOnTheCallersThread) {
  prometheus::Registry registry;
  prometheus::BuildCounter()
      .Name("atmwatch_test_requests_total")
      .Help("r")
      .Register(registry)
      .Add({});
  const CountingSource first("atmwatch_first_total", 3000);
  const CountingSource second("atmwatch_second_total", 2000);
  const CountingSource third("atmwatch_third_total", 10);

  std::string whole;
  AppendExposition({&registry}, {&first, &second, &third}, &whole);

  const std::thread::id caller = std::this_thread::get_id();
  std::vector<std::string> pieces;
  StreamExposition({&registry}, {&first, &second, &third}, 4096, [&](std::string_view piece) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    pieces.emplace_back(piece);
  });

  std::string streamed;
  for (const auto& piece : pieces) {
    EXPECT_LE(piece.size(), 4096u + 4096u / 4);
    streamed += piece;
  }
  EXPECT_EQ(streamed, whole);
  EXPECT_GT(pieces.size(), 10u);
  // The first source streams from the caller; the others are written beside it.
  EXPECT_EQ(first.thread(), caller);
  EXPECT_NE(second.thread(), caller);
  EXPECT_EQ(third.thread(), second.thread());
}

TEST(ExpositionTest, OneSourceOrNoneStreamsWithoutASecondThread) {
  const CountingSource only("atmwatch_only_total", 5);
  std::string whole;
  AppendExposition({}, {&only}, &whole);
  std::string streamed;
  StreamExposition({}, {&only}, 1 << 20, [&](std::string_view piece) { streamed += piece; });
  EXPECT_EQ(streamed, whole);
  EXPECT_EQ(only.thread(), std::this_thread::get_id());

  std::string nothing;
  StreamExposition({}, {}, 1 << 20, [&](std::string_view piece) { nothing += piece; });
  EXPECT_EQ(nothing, "");
}

}  // namespace
}  // namespace atmwatch::metrics
