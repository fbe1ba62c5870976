#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "metrics/exposition.h"

namespace atmwatch::metrics {

// atmwatch_ingest_source_last_batch_timestamp_seconds{source_id} for the
// tracked sources and atmwatch_ingest_sources (every source known).
class IngestSourceCollector : public ScrapeSource {
 public:
  struct Sources {
    std::vector<std::pair<std::string, std::int64_t>> last_batch_unix_ms;
    std::size_t count = 0;
  };
  using Read = std::function<Sources()>;

  explicit IngestSourceCollector(Read read) : read_(std::move(read)) {}
  void WriteText(TextWriter& out) const override;

 private:
  Read read_;
};

}  // namespace atmwatch::metrics
