#pragma once

#include <string>
#include <vector>

namespace prometheus {
class Collectable;
}

namespace atmwatch::metrics {

// The Prometheus text exposition (format 0.0.4) of everything the collectables
// hold at this moment.
std::string RenderText(const std::vector<const prometheus::Collectable*>& collectables);

constexpr const char* kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace atmwatch::metrics
