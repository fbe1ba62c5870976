#include "metrics/fixed_label_counters.h"

namespace atmwatch::metrics {

FixedLabelCounters::FixedLabelCounters(prometheus::Registry& registry, const std::string& name,
                                       const std::string& help, const std::string& label,
                                       std::initializer_list<const char*> values) {
  auto& family = prometheus::BuildCounter().Name(name).Help(help).Register(registry);
  for (const char* value : values) counters_.emplace(value, &family.Add({{label, value}}));
}

void FixedLabelCounters::Increment(std::string_view value) {
  if (const auto it = counters_.find(value); it != counters_.end()) it->second->Increment();
}

}  // namespace atmwatch::metrics
