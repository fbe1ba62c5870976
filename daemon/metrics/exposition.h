#pragma once

#include <string>
#include <vector>

namespace prometheus {
class Collectable;
}

namespace atmwatch::metrics {

class TextWriter;

// Something that writes its families itself at scrape time, in the text
// exposition format, instead of handing prometheus-cpp objects over.
class ScrapeSource {
 public:
  virtual ~ScrapeSource() = default;
  virtual void WriteText(TextWriter& out) const = 0;
};

// Appends the Prometheus text exposition (format 0.0.4) of everything the
// registries and the sources hold at this moment to `out`.
void AppendExposition(const std::vector<const prometheus::Collectable*>& registries,
                      const std::vector<const ScrapeSource*>& sources, std::string* out);

constexpr const char* kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace atmwatch::metrics
