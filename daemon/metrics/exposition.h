#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
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

// The same text handed to `send` in pieces of about `piece_bytes`, as it is
// written: a national fleet's body is tens of megabytes, which then never
// exists whole (no allocation, page faults and copy of that size per
// scrape). The sources after the first are written meanwhile on a second
// thread, into memory, as node_exporter runs its collectors side by side: a
// scrape then takes about as long as its largest source rather than all of
// them, so put the largest first. `send` is called on the caller's thread.
void StreamExposition(const std::vector<const prometheus::Collectable*>& registries,
                      const std::vector<const ScrapeSource*>& sources, std::size_t piece_bytes,
                      const std::function<void(std::string_view)>& send);

constexpr const char* kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace atmwatch::metrics
