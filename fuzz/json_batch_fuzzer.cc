// Fuzz target: the JSON body of POST /v1/events, through the function the
// endpoint uses (http::ParseBatchBody), then event validation as the
// pipeline does it.
//
// Invariants besides "no crash, no leak, no undefined behaviour":
//  - a body that parses prints back to JSON that parses to the same Batch;
//  - the same Batch sent as protobuf parses to the same Batch;
//  - a body that does not parse gets an error message for the 400 answer.

#include <google/protobuf/util/json_util.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "atmwatch/v1/ingest.pb.h"
#include "fuzz_check.h"
#include "http/events_endpoint.h"
#include "ingest/event_validator.h"

namespace {

constexpr std::int64_t kNowMs = 1767225600000;  // 2026-01-01T00:00:00Z

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  QuietProtobufLog();
  const std::string body(reinterpret_cast<const char*>(data), size);
  atmwatch::v1::Batch batch;
  const atmwatch::Status parsed = atmwatch::http::ParseBatchBody(body, /*json=*/true, &batch);
  if (!parsed.ok()) {
    FUZZ_CHECK(!parsed.message().empty());
    return 0;
  }
  const std::string bytes = batch.SerializeAsString();

  std::string printed;
  FUZZ_CHECK(google::protobuf::util::MessageToJsonString(batch, &printed).ok());
  atmwatch::v1::Batch reparsed;
  FUZZ_CHECK(atmwatch::http::ParseBatchBody(printed, /*json=*/true, &reparsed).ok());
  FUZZ_CHECK(reparsed.SerializeAsString() == bytes);

  atmwatch::v1::Batch from_protobuf;
  FUZZ_CHECK(atmwatch::http::ParseBatchBody(bytes, /*json=*/false, &from_protobuf).ok());
  FUZZ_CHECK(from_protobuf.SerializeAsString() == bytes);

  const atmwatch::ingest::ValidationLimits limits;
  for (const auto& event : batch.events()) {
    (void)atmwatch::ingest::ValidateEvent(event, limits, kNowMs);
  }
  return 0;
}
