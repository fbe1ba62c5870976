#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

namespace atmwatch::metrics {

// A counter family with one label whose values come from a fixed set, every
// series exported from the start so that rate() sees the first increment.
// Increment with a value outside the set is a programming error and counts
// nothing: the label stays bounded whatever the caller passes.
//
// Thread-safe: the series are built in the constructor and only read after.
class FixedLabelCounters {
 public:
  FixedLabelCounters(prometheus::Registry& registry, const std::string& name,
                     const std::string& help, const std::string& label,
                     std::initializer_list<const char*> values);

  void Increment(std::string_view value);

 private:
  std::map<std::string, prometheus::Counter*, std::less<>> counters_;
};

}  // namespace atmwatch::metrics
