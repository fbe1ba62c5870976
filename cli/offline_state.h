#pragma once

// A stopped daemon's aggregates, rebuilt offline with the daemon's own
// recovery: the newest valid snapshot, then the write-ahead log after it,
// applied by the same Engine (durability/durable_state.h). Recovery may cut
// a torn tail off the newest segment, exactly as the daemon's next start
// would, so it takes the directory's lock (durability/data_dir_lock.h) and
// is refused while atmwatchd runs on it.

#include <memory>
#include <string>

#include "common/status.h"
#include "config/daemon_config.h"

namespace atmwatch::engine {
class Engine;
}

namespace atmwatch::cli {

// Rebuilds the engine of `data_dir` with the calendar, fees and inventory of
// `config` (pass the daemon's config so replayed events earn what they
// earned there). Errors name the directory or the damaged file.
Status LoadOfflineEngine(const std::string& data_dir, const config::DaemonConfig& config,
                         std::unique_ptr<engine::Engine>* out);

}  // namespace atmwatch::cli
