#include "client/metrics_endpoint.h"

#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <exception>

namespace atmwatch::client {

Status ServeMetrics(const std::string& address, std::shared_ptr<prometheus::Registry> registry,
                    std::unique_ptr<prometheus::Exposer>* out) {
  try {
    auto exposer = std::make_unique<prometheus::Exposer>(address);
    exposer->RegisterCollectable(registry);
    *out = std::move(exposer);
  } catch (const std::exception& e) {
    return Status::Error("cannot serve metrics on " + address + ": " + e.what());
  }
  return Status::Ok();
}

}  // namespace atmwatch::client
