#include "metrics/exposition.h"

#include <prometheus/collectable.h>
#include <prometheus/text_serializer.h>

#include <sstream>

namespace atmwatch::metrics {

std::string RenderText(const std::vector<const prometheus::Collectable*>& collectables) {
  std::vector<prometheus::MetricFamily> families;
  for (const auto* collectable : collectables) {
    auto collected = collectable->Collect();
    families.insert(families.end(), std::make_move_iterator(collected.begin()),
                    std::make_move_iterator(collected.end()));
  }
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return std::move(out).str();
}

}  // namespace atmwatch::metrics
