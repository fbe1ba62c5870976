#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <vector>

namespace atmwatch::metrics {

// Appends `families` to `out` in the Prometheus text exposition format
// (0.0.4): the same lines prometheus-cpp's TextSerializer writes, but
// formatted straight into the string. With a national fleet a scrape has
// close to a million samples, and the serializer's ostream formatting was
// four fifths of its time.
void AppendTextFormat(const std::vector<prometheus::MetricFamily>& families, std::string* out);

}  // namespace atmwatch::metrics
