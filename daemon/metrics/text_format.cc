#include "metrics/text_format.h"

#include <fmt/format.h>

#include <iterator>
#include <string_view>

#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricType;

// name{labels[,extra_name="extra_value"]} value
void AppendSample(std::string_view name, std::string_view suffix, const ClientMetric& metric,
                  std::string_view extra_name, double extra_value, double value, std::string* out) {
  out->append(name).append(suffix);
  if (!metric.label.empty() || !extra_name.empty()) {
    out->push_back('{');
    bool first = true;
    for (const auto& label : metric.label) {
      if (!first) out->push_back(',');
      first = false;
      out->append(label.name).append("=\"");
      AppendLabelValue(label.value, out);
      out->push_back('"');
    }
    if (!extra_name.empty()) {
      if (!first) out->push_back(',');
      out->append(extra_name).append("=\"");
      AppendSampleValue(extra_value, out);
      out->push_back('"');
    }
    out->push_back('}');
  }
  out->push_back(' ');
  AppendSampleValue(value, out);
  if (metric.timestamp_ms != 0)
    fmt::format_to(std::back_inserter(*out), " {}", metric.timestamp_ms);
  out->push_back('\n');
}

void AppendSample(std::string_view name, std::string_view suffix, const ClientMetric& metric,
                  double value, std::string* out) {
  AppendSample(name, suffix, metric, {}, 0, value, out);
}

std::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::Counter:
      return "counter";
    case MetricType::Gauge:
      return "gauge";
    case MetricType::Summary:
      return "summary";
    case MetricType::Histogram:
      return "histogram";
    case MetricType::Untyped:
      break;
  }
  return "untyped";
}

void AppendMetric(const std::string& name, MetricType type, const ClientMetric& metric,
                  std::string* out) {
  switch (type) {
    case MetricType::Counter:
      AppendSample(name, "", metric, metric.counter.value, out);
      return;
    case MetricType::Gauge:
      AppendSample(name, "", metric, metric.gauge.value, out);
      return;
    case MetricType::Untyped:
      AppendSample(name, "", metric, metric.untyped.value, out);
      return;
    case MetricType::Summary:
      for (const auto& quantile : metric.summary.quantile) {
        AppendSample(name, "", metric, "quantile", quantile.quantile, quantile.value, out);
      }
      AppendSample(name, "_sum", metric, metric.summary.sample_sum, out);
      AppendSample(name, "_count", metric, static_cast<double>(metric.summary.sample_count), out);
      return;
    case MetricType::Histogram:
      for (const auto& bucket : metric.histogram.bucket) {
        AppendSample(name, "_bucket", metric, "le", bucket.upper_bound,
                     static_cast<double>(bucket.cumulative_count), out);
      }
      AppendSample(name, "_sum", metric, metric.histogram.sample_sum, out);
      AppendSample(name, "_count", metric, static_cast<double>(metric.histogram.sample_count), out);
      return;
  }
}

}  // namespace

void AppendTextFormat(const std::vector<prometheus::MetricFamily>& families, std::string* out) {
  for (const auto& family : families) {
    if (!family.help.empty()) {
      out->append("# HELP ").append(family.name).push_back(' ');
      AppendHelpText(family.help, out);
      out->push_back('\n');
    }
    out->append("# TYPE ").append(family.name).push_back(' ');
    out->append(TypeName(family.type)).push_back('\n');
    for (const auto& metric : family.metric) AppendMetric(family.name, family.type, metric, out);
  }
}

}  // namespace atmwatch::metrics
