#include "metrics/text_writer.h"

#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace atmwatch::metrics {
namespace {

// prometheus-cpp orders a family's samples by its own hashing.
std::multiset<std::string> Lines(const std::string& text) {
  std::multiset<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.insert(line);
  return lines;
}

// The same samples through prometheus-cpp and through TextWriter, byte for
// byte: label escaping, pre-rendered labels, integer, fractional,
// negative, infinite and huge values.
TEST(TextWriterTest, WritesWhatPrometheusCppWrites) {
  const std::string tricky = "Shop \"A\" \\ 1\nsecond line";
  prometheus::Registry registry;
  auto& counters = prometheus::BuildCounter()
                       .Name("atmwatch_test_total")
                       .Help("A counter, by ATM.")
                       .Register(registry);
  counters.Add({{"atm_id", "ATM0001"}, {"site", tricky}}).Increment(3);
  counters.Add({{"atm_id", tricky}, {"site", ""}}).Increment(12345678901);
  counters.Add({{"atm_id", "ATM0002"}, {"site", tricky}}).Increment(7);
  auto& gauges =
      prometheus::BuildGauge().Name("atmwatch_test_seconds").Help("g").Register(registry);
  gauges.Add({{"k", "a"}}).Set(1764097200.5);
  gauges.Add({{"k", "b"}}).Set(-0.001);
  gauges.Add({{"k", "c"}}).Set(std::numeric_limits<double>::infinity());
  gauges.Add({{"k", "d"}}).Set(-1e300);
  std::ostringstream reference;
  prometheus::TextSerializer().Serialize(reference, registry.Collect());

  std::string ours;
  TextWriter out(&ours);
  out.Family("atmwatch_test_total", "A counter, by ATM.", TextWriter::Type::kCounter);
  out.Sample("atmwatch_test_total", TextWriter::RenderLabel("atm_id", "ATM0001"),
             {{"site", tricky}}, 3);
  out.Sample("atmwatch_test_total", {{"atm_id", tricky}, {"site", ""}}, 12345678901);
  out.SampleRendered("atmwatch_test_total", TextWriter::RenderLabel("atm_id", "ATM0002"),
                     TextWriter::RenderLabel("site", tricky), 7);
  out.Family("atmwatch_test_seconds", "g", TextWriter::Type::kGauge);
  out.Sample("atmwatch_test_seconds", {{"k", "a"}}, 1764097200.5);
  out.Sample("atmwatch_test_seconds", {{"k", "b"}}, -0.001);
  out.Sample("atmwatch_test_seconds", {{"k", "c"}}, std::numeric_limits<double>::infinity());
  out.Sample("atmwatch_test_seconds", TextWriter::RenderLabel("k", "d"), {}, -1e300);
  EXPECT_EQ(Lines(ours), Lines(reference.str()));
}

TEST(TextWriterTest, SamplesWithoutLabelsHaveNoBraces) {
  std::string text;
  TextWriter out(&text);
  out.Sample("atmwatch_test_value", {}, std::numeric_limits<double>::quiet_NaN());
  out.Sample("atmwatch_test_value", "", {}, 2);
  EXPECT_EQ(text, "atmwatch_test_value NaN\natmwatch_test_value 2\n");
}

// A streamed scrape: the pieces are whole lines and add up to the text
// written in one go.
TEST(TextWriterTest, FlushHandsOverWholeLinesThatAddUpToTheText) {
  const auto write = [](TextWriter& out) {
    out.Family("atmwatch_test_total", "A counter, by ATM.", TextWriter::Type::kCounter);
    for (int atm = 0; atm < 100; ++atm) {
      out.Sample("atmwatch_test_total", TextWriter::RenderLabel("atm_id", std::to_string(atm)),
                 {{"result", "approved"}}, atm);
    }
    out.FlushAll();
  };
  std::string whole;
  TextWriter one_go(&whole);
  write(one_go);

  std::vector<std::string> pieces;
  std::string buffer;
  TextWriter streamed(
      &buffer, [&pieces](std::string_view piece) { pieces.emplace_back(piece); }, 256);
  write(streamed);
  EXPECT_TRUE(buffer.empty());
  ASSERT_GT(pieces.size(), 10u);
  std::string joined;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (i + 1 < pieces.size()) EXPECT_GE(pieces[i].size(), 256u);  // the last: what was left
    EXPECT_EQ(pieces[i].back(), '\n');
    joined += pieces[i];
  }
  EXPECT_EQ(joined, whole);
}

TEST(TextWriterTest, HelpEscapesBackslashAndNewlineButNotQuotes) {
  std::string text;
  TextWriter(&text).Family("atmwatch_test_value", "a \\ \"b\"\nc", TextWriter::Type::kGauge);
  EXPECT_EQ(text,
            "# HELP atmwatch_test_value a \\\\ \"b\"\\nc\n"
            "# TYPE atmwatch_test_value gauge\n");
}

}  // namespace
}  // namespace atmwatch::metrics
