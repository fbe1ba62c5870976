#include "metrics/text_format.h"

#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <limits>
#include <sstream>

namespace atmwatch::metrics {
namespace {

std::string Reference(const std::vector<prometheus::MetricFamily>& families) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

std::string Ours(const std::vector<prometheus::MetricFamily>& families) {
  std::string out;
  AppendTextFormat(families, &out);
  return out;
}

TEST(TextFormatTest, WritesWhatPrometheusCppWrites) {
  prometheus::Registry registry;
  auto& counters = prometheus::BuildCounter()
                       .Name("atmwatch_test_total")
                       .Help("A counter, by ATM.")
                       .Register(registry);
  counters.Add({{"atm_id", "ATM0001"}, {"site", "Shop \"A\" \\ 1\nsecond line"}}).Increment(3);
  counters.Add({{"atm_id", "ATM0002"}, {"site", ""}}).Increment(12345678901);
  prometheus::BuildGauge()
      .Name("atmwatch_test_ratio")
      .Help("")
      .Register(registry)
      .Add({})
      .Set(0.25);
  auto& gauges =
      prometheus::BuildGauge().Name("atmwatch_test_seconds").Help("g").Register(registry);
  gauges.Add({{"k", "a"}}).Set(1764097200.5);
  gauges.Add({{"k", "b"}}).Set(-0.001);
  gauges.Add({{"k", "c"}}).Set(std::numeric_limits<double>::infinity());
  prometheus::BuildGauge().Name("atmwatch_test_empty").Help("no samples").Register(registry);

  const auto families = registry.Collect();
  EXPECT_EQ(Ours(families), Reference(families));
}

// prometheus-cpp writes _count and _sum first; buckets first is the order
// the Go client and the format's documentation use.
TEST(TextFormatTest, HistogramHasCumulativeBucketsThenSumAndCount) {
  prometheus::Registry registry;
  auto& histogram =
      prometheus::BuildHistogram()
          .Name("atmwatch_test_duration_seconds")
          .Help("h")
          .Register(registry)
          .Add({{"op", "fsync"}}, prometheus::Histogram::BucketBoundaries{0.005, 0.1, 1});
  histogram.Observe(0.002);
  histogram.Observe(0.05);
  histogram.Observe(7);
  EXPECT_EQ(Ours(registry.Collect()),
            "# HELP atmwatch_test_duration_seconds h\n"
            "# TYPE atmwatch_test_duration_seconds histogram\n"
            "atmwatch_test_duration_seconds_bucket{op=\"fsync\",le=\"0.005\"} 1\n"
            "atmwatch_test_duration_seconds_bucket{op=\"fsync\",le=\"0.1\"} 2\n"
            "atmwatch_test_duration_seconds_bucket{op=\"fsync\",le=\"1\"} 2\n"
            "atmwatch_test_duration_seconds_bucket{op=\"fsync\",le=\"+Inf\"} 3\n"
            "atmwatch_test_duration_seconds_sum{op=\"fsync\"} 7.052\n"
            "atmwatch_test_duration_seconds_count{op=\"fsync\"} 3\n");
}

// The format escapes backslash and newline in HELP (prometheus-cpp 1.0
// writes them raw, which breaks the line).
TEST(TextFormatTest, HelpTextIsEscaped) {
  prometheus::MetricFamily family{
      "atmwatch_test_value", "a \\ and a\nnewline", prometheus::MetricType::Gauge, {}};
  EXPECT_EQ(Ours({family}),
            "# HELP atmwatch_test_value a \\\\ and a\\nnewline\n"
            "# TYPE atmwatch_test_value gauge\n");
}

TEST(TextFormatTest, SummaryHasQuantilesSumAndCount) {
  prometheus::MetricFamily family{
      "atmwatch_test_latency_seconds", "s", prometheus::MetricType::Summary, {}};
  prometheus::ClientMetric metric;
  metric.label = {{"path", "/metrics"}};
  metric.summary.quantile = {{0.5, 0.01}, {0.99, 0.25}};
  metric.summary.sample_sum = 1.5;
  metric.summary.sample_count = 40;
  family.metric.push_back(metric);
  EXPECT_EQ(Ours({family}),
            "# HELP atmwatch_test_latency_seconds s\n"
            "# TYPE atmwatch_test_latency_seconds summary\n"
            "atmwatch_test_latency_seconds{path=\"/metrics\",quantile=\"0.5\"} 0.01\n"
            "atmwatch_test_latency_seconds{path=\"/metrics\",quantile=\"0.99\"} 0.25\n"
            "atmwatch_test_latency_seconds_sum{path=\"/metrics\"} 1.5\n"
            "atmwatch_test_latency_seconds_count{path=\"/metrics\"} 40\n");
}

TEST(TextFormatTest, NotANumberIsSpelledTheWayPrometheusParsesIt) {
  prometheus::MetricFamily family{"atmwatch_test_value", "", prometheus::MetricType::Untyped, {}};
  prometheus::ClientMetric metric;
  metric.untyped.value = std::numeric_limits<double>::quiet_NaN();
  family.metric.push_back(metric);
  EXPECT_EQ(Ours({family}), "# TYPE atmwatch_test_value untyped\natmwatch_test_value NaN\n");
}

}  // namespace
}  // namespace atmwatch::metrics
