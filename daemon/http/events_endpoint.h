#pragma once

#include "http/http_server.h"

namespace atmwatch::ingest {
class IngestPipeline;
}
namespace atmwatch::metrics {
class IngestMetrics;
}

namespace atmwatch::http {

// POST /v1/events: one Batch as protobuf (application/x-protobuf) or as its
// canonical JSON mapping (application/json), answered with the Ack in the
// same encoding. Status: 200 once processed (per-event rejections are in the
// Ack), 400 for a body that does not parse or an invalid batch, 409 for a seq
// gap, 415 for another content type, 503 when the daemon cannot take it now.
Response HandleEvents(const Request& request, ingest::IngestPipeline& pipeline,
                      metrics::IngestMetrics& metrics);

}  // namespace atmwatch::http
