#include "metrics/exposition.h"

#include <prometheus/collectable.h>

#include "metrics/text_format.h"
#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

void Write(const std::vector<const prometheus::Collectable*>& registries,
           const std::vector<const ScrapeSource*>& sources, std::string* out, TextWriter& writer) {
  for (const auto* registry : registries) AppendTextFormat(registry->Collect(), out);
  for (const auto* source : sources) source->WriteText(writer);
  writer.FlushAll();
}

}  // namespace

void AppendExposition(const std::vector<const prometheus::Collectable*>& registries,
                      const std::vector<const ScrapeSource*>& sources, std::string* out) {
  TextWriter writer(out);
  Write(registries, sources, out, writer);
}

void StreamExposition(const std::vector<const prometheus::Collectable*>& registries,
                      const std::vector<const ScrapeSource*>& sources, std::size_t piece_bytes,
                      const std::function<void(std::string_view)>& send) {
  std::string piece;
  piece.reserve(piece_bytes + piece_bytes / 4);
  TextWriter writer(&piece, send, piece_bytes);
  Write(registries, sources, &piece, writer);
}

}  // namespace atmwatch::metrics
