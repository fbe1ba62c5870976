#include "client/client_options.h"

#include <yaml-cpp/yaml.h>

namespace atmwatch::client {

// The daemon keys its exactly-once state by source_id; it refuses longer ones.
constexpr std::size_t kMaxSourceIdBytes = 128;

Status ReadIngestConfig(const config::FieldReader& fields, const YAML::Node& ingest,
                        std::string_view source_id_example, IngestConfig* out) {
  if (Status status =
          fields.CheckMapKeys(ingest, "ingest", {"address", "source_id", "tls", "token_file"});
      !status.ok()) {
    return status;
  }
  IngestConfig config = *out;
  if (ingest["address"]) {
    if (Status status = fields.ReadNonEmpty(ingest["address"], "ingest.address", "127.0.0.1:7420",
                                            &config.address);
        !status.ok()) {
      return status;
    }
  }
  if (ingest["source_id"]) {
    if (Status status = fields.ReadNonEmpty(ingest["source_id"], "ingest.source_id",
                                            source_id_example, &config.source_id);
        !status.ok()) {
      return status;
    }
    if (config.source_id.size() > kMaxSourceIdBytes) {
      return fields.Error(ingest["source_id"], "ingest.source_id",
                          "has " + std::to_string(config.source_id.size()) +
                              " bytes; use at most " + std::to_string(kMaxSourceIdBytes));
    }
  }
  if (Status status = ReadIngestSecurity(fields, ingest, "ingest", &config.security);
      !status.ok()) {
    return status;
  }
  *out = std::move(config);
  return Status::Ok();
}

Status IngestSecurityFromFlags(const ClientTlsOptions& tls, const std::string& token_file,
                               IngestSecurity* out) {
  IngestSecurity security;
  security.tls = tls;
  if (!token_file.empty()) {
    if (Status status = ReadTokenFile(token_file, &security.auth_token); !status.ok()) {
      return status;
    }
    security.token_file = token_file;
  }
  *out = std::move(security);
  return Status::Ok();
}

ClientOptions ClientOptionsFor(const IngestConfig& ingest) {
  ClientOptions options;
  options.address = ingest.address;
  options.source_id = ingest.source_id;
  options.tls = ingest.security.tls;
  options.auth_token = ingest.security.auth_token;
  options.auth_token_file = ingest.security.token_file;
  return options;
}

}  // namespace atmwatch::client
