#include "metrics/exposition.h"

#include <prometheus/collectable.h>

#include "metrics/text_format.h"

namespace atmwatch::metrics {

std::string RenderText(const std::vector<const prometheus::Collectable*>& collectables) {
  // One collectable's families at a time: they hold an object per sample,
  // several times the size of the text they become.
  std::string out;
  for (const auto* collectable : collectables) AppendTextFormat(collectable->Collect(), &out);
  return out;
}

}  // namespace atmwatch::metrics
