#include "metrics/ingest_source_collector.h"

#include "metrics/text_writer.h"

namespace atmwatch::metrics {

using Type = TextWriter::Type;

void IngestSourceCollector::WriteText(TextWriter& out) const {
  const Sources sources = read_();
  if (!sources.last_batch_unix_ms.empty()) {
    out.Family("atmwatch_ingest_source_last_batch_timestamp_seconds",
               "When a batch of the source was last applied (daemon clock), Unix seconds; for "
               "the first ingest.max_sources sources since start-up.",
               Type::kGauge);
    for (const auto& [source, unix_ms] : sources.last_batch_unix_ms) {
      out.Sample("atmwatch_ingest_source_last_batch_timestamp_seconds", {{"source_id", source}},
                 static_cast<double>(unix_ms) / 1000.0);
    }
  }
  out.Family("atmwatch_ingest_sources",
             "Sources known to the daemon (with or without their own series).", Type::kGauge);
  out.Sample("atmwatch_ingest_sources", {}, static_cast<double>(sources.count));
}

}  // namespace atmwatch::metrics
