#include "metrics/exposition.h"

#include <prometheus/collectable.h>

#include "metrics/text_format.h"
#include "metrics/text_writer.h"

namespace atmwatch::metrics {

void AppendExposition(const std::vector<const prometheus::Collectable*>& registries,
                      const std::vector<const ScrapeSource*>& sources, std::string* out) {
  for (const auto* registry : registries) AppendTextFormat(registry->Collect(), out);
  TextWriter writer(out);
  for (const auto* source : sources) source->WriteText(writer);
}

}  // namespace atmwatch::metrics
