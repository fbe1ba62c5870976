#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace prometheus {
class Exposer;
class Registry;
}  // namespace prometheus

namespace atmwatch::client {

// Serves `registry` at http://ADDRESS/metrics with prometheus-cpp's exposer,
// which throws when it cannot bind: here that comes back as an error naming
// the address ("cannot serve metrics on 127.0.0.1:9743: ..."), for the
// collector to exit 2 with. *out keeps serving until it is destroyed.
Status ServeMetrics(const std::string& address, std::shared_ptr<prometheus::Registry> registry,
                    std::unique_ptr<prometheus::Exposer>* out);

}  // namespace atmwatch::client
