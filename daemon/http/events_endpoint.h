#pragma once

#include <map>
#include <string>

#include "atmwatch/v1/ingest.pb.h"
#include "common/status.h"
#include "http/http_server.h"

namespace atmwatch::ingest {
class IngestPipeline;
class SourcePolicy;
}  // namespace atmwatch::ingest
namespace atmwatch::metrics {
class IngestMetrics;
}

namespace atmwatch::http {

// The Batch in a POST body, protobuf or (json) its canonical JSON mapping.
// An error is the message for the 400 answer; it describes a body that is
// not UTF-8, never echoes it. An event that names an enum value the enum
// does not have is refused by itself, like one with an out-of-range number
// (misspelled_enums.h): its enum is left invalid and `misspelled` (if given)
// gets the detail for its refusal by event index. Pure: no pipeline, no
// metrics, so fuzz/json_batch_fuzzer.cc drives it directly.
Status ParseBatchBody(const std::string& body, bool json, v1::Batch* batch,
                      std::map<int, std::string>* misspelled = nullptr);

// POST /v1/events: one Batch as protobuf (application/x-protobuf) or as its
// canonical JSON mapping (application/json), answered with the Ack in the
// same encoding. Status: 200 once processed (per-event rejections are in the
// Ack, a misspelled enum name among them), 400 for a body that does not parse
// or an invalid batch, 409 for a seq
// gap, 415 for another content type, 503 when the daemon cannot take it now.
//
// A batch whose source_id `sources` binds to a token needs
// `Authorization: Bearer <token>`; without the right one it is answered 401
// with an UNAUTHENTICATED Ack. A token in the body (Batch.auth_token) is
// dropped unread: it belongs to the TCP port.
Response HandleEvents(const Request& request, ingest::IngestPipeline& pipeline,
                      metrics::IngestMetrics& metrics, const ingest::SourcePolicy& sources);

}  // namespace atmwatch::http
