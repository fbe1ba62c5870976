#include "http/events_endpoint.h"

#include <google/protobuf/util/json_util.h>

#include "atmwatch/v1/ingest.pb.h"
#include "common/utf8.h"
#include "http/misspelled_enums.h"
#include "ingest/ingest_pipeline.h"
#include "ingest/source_policy.h"
#include "metrics/ingest_metrics.h"

namespace atmwatch::http {
namespace {

constexpr std::string_view kProtobuf = "application/x-protobuf";
constexpr std::string_view kJson = "application/json";

// "application/json; charset=utf-8" is application/json.
std::string_view MediaType(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  auto type = content_type.substr(0, semicolon);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return type;
}

int StatusFor(const v1::Ack& ack) {
  switch (ack.error()) {
    case v1::Ack::INVALID_BATCH:
      return 400;
    case v1::Ack::SEQ_GAP:
      return 409;
    case v1::Ack::UNAVAILABLE:
      return 503;
    case v1::Ack::UNAUTHENTICATED:
      return 401;
    default:
      return 200;
  }
}

Response Encode(const v1::Ack& ack, bool json) {
  Response response{StatusFor(ack), std::string(json ? kJson : kProtobuf), {}};
  if (json) {
    google::protobuf::util::JsonPrintOptions options;
    options.always_print_primitive_fields = true;
    (void)google::protobuf::util::MessageToJsonString(ack, &response.body, options);
    response.body += '\n';
  } else {
    ack.SerializeToString(&response.body);
  }
  return response;
}

// What the request proved: the digest of its bearer token, if it sent one.
ingest::PeerCredentials CredentialsOf(const Request& request) {
  constexpr std::string_view kScheme = "Bearer ";
  ingest::PeerCredentials peer;
  std::string_view authorization = request.authorization;
  if (authorization.size() > kScheme.size() && authorization.starts_with(kScheme)) {
    peer.token = ingest::Sha256(authorization.substr(kScheme.size()));
  }
  return peer;
}

v1::Ack Unauthenticated(const v1::Batch& batch, std::string detail) {
  v1::Ack ack;
  ack.set_seq(batch.seq());
  ack.set_error(v1::Ack::UNAUTHENTICATED);
  ack.set_error_detail(std::move(detail));
  return ack;
}

}  // namespace

Status ParseBatchBody(const std::string& body, bool json, v1::Batch* batch,
                      std::map<int, std::string>* misspelled) {
  if (json) {
    if (const std::size_t bad = FirstInvalidUtf8Byte(body); bad != std::string::npos) {
      return Status::Error("the body is not valid UTF-8 at byte " + std::to_string(bad) +
                           " (counted from 0); send JSON encoded as UTF-8");
    }
    const auto status = google::protobuf::util::JsonStringToMessage(body, batch);
    if (!status.ok()) {
      std::map<int, std::string> details;
      if (ParseWithMisspelledEnums(body, batch, &details)) {
        if (misspelled != nullptr) *misspelled = std::move(details);
        return Status::Ok();
      }
      return Status::Error("the body is not a Batch in JSON: " + std::string(status.message()));
    }
  } else if (!batch->ParseFromString(body)) {
    return Status::Error("the body is not a serialized Batch");
  }
  return Status::Ok();
}

Response HandleEvents(const Request& request, ingest::IngestPipeline& pipeline,
                      metrics::IngestMetrics& metrics, const ingest::SourcePolicy& sources) {
  if (request.method != "POST") {
    return {405, "text/plain; charset=utf-8", "POST a Batch to /v1/events\n"};
  }
  const std::string_view type = MediaType(request.content_type);
  const bool json = type == kJson;
  if (!json && type != kProtobuf) {
    return {415, "text/plain; charset=utf-8",
            "Content-Type must be application/x-protobuf or application/json\n"};
  }
  v1::Batch batch;
  std::map<int, std::string> misspelled;
  if (const Status parsed = ParseBatchBody(request.body, json, &batch, &misspelled); !parsed.ok()) {
    metrics.CountRejectedFrame(metrics::IngestMetrics::Transport::kHttp, "unparsable_batch");
    return {400, "text/plain; charset=utf-8", parsed.message() + "\n"};
  }
  batch.clear_auth_token();
  if (auto failure = sources.Check(batch.source_id(), CredentialsOf(request))) {
    metrics.CountAuthFailure(failure->reason);
    metrics.CountBatch(metrics::IngestMetrics::BatchResult::kUnauthenticated, batch.events_size());
    return Encode(Unauthenticated(batch, std::move(failure->detail)), json);
  }
  v1::Ack ack = pipeline.SubmitAndWait(batch);
  // The validator saw a number; the sender wrote a name.
  for (v1::Rejection& rejection : *ack.mutable_rejected()) {
    const auto it = misspelled.find(static_cast<int>(rejection.index()));
    if (it != misspelled.end() && rejection.reason() == "bad_enum")
      rejection.set_detail(it->second);
  }
  return Encode(ack, json);
}

}  // namespace atmwatch::http
