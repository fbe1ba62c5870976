#include "config/sections/ingest.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "config/sections/tls.h"

namespace atmwatch::config {
namespace {

Status ReadSource(const FieldReader& fields, const YAML::Node& n, const std::string& path,
                  const DaemonConfig::Tls& tls, DaemonConfig::Ingest::Source* out) {
  if (Status s = fields.CheckMapKeys(n, path, {"source_id", "cert_subject", "token_sha256"});
      !s.ok()) {
    return s;
  }
  if (!n["source_id"]) {
    return fields.Error(n, path + ".source_id",
                        "every source needs its source_id, e.g. source_id: radius-tokyo-1");
  }
  if (Status s = fields.ReadNonEmpty(n["source_id"], path + ".source_id", "radius-tokyo-1",
                                     &out->source_id);
      !s.ok()) {
    return s;
  }
  if (out->source_id.size() > 128) {
    return fields.Error(n["source_id"], path + ".source_id",
                        "has more than 128 bytes, which no batch can carry; write a shorter id");
  }
  if (auto v = n["cert_subject"]) {
    if (Status s = fields.ReadNonEmpty(v, path + ".cert_subject", "\"CN=radius-tokyo-1\"",
                                       &out->cert_subject);
        !s.ok()) {
      return s;
    }
    if (tls.client_ca_file.empty()) {
      return fields.Error(v, path + ".cert_subject",
                          "needs client certificates, which the daemon asks for only with "
                          "ingest.tls.client_ca_file; set it, or bind the source to a "
                          "token_sha256 instead");
    }
  }
  if (auto v = n["token_sha256"]) {
    std::string hex;
    if (Status s = fields.ReadScalar(v, path + ".token_sha256", &hex); !s.ok()) return s;
    const bool is_hex =
        hex.size() == 64 && hex.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
    if (!is_hex) {
      return fields.Error(v, path + ".token_sha256",
                          "is not a SHA-256 in hex (64 digits); write the output of "
                          "`printf %s \"$TOKEN\" | sha256sum`, never the token itself");
    }
    for (char& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out->token_sha256 = std::move(hex);
  }
  return Status::Ok();
}

Status ReadSources(const FieldReader& fields, const YAML::Node& list, const DaemonConfig::Tls& tls,
                   std::vector<DaemonConfig::Ingest::Source>* out) {
  if (Status s = fields.CheckSequence(list, "ingest.sources",
                                      "a source {source_id: ..., cert_subject: ...}");
      !s.ok()) {
    return s;
  }
  std::vector<DaemonConfig::Ingest::Source> sources;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = ItemPath("ingest.sources", i);
    DaemonConfig::Ingest::Source source;
    if (Status s = ReadSource(fields, list[i], path, tls, &source); !s.ok()) return s;
    for (const auto& seen : sources) {
      if (seen.source_id == source.source_id) {
        return fields.Error(
            list[i]["source_id"], path + ".source_id",
            fmt::format("'{}' is listed twice; list each source once", source.source_id));
      }
    }
    sources.push_back(std::move(source));
  }
  *out = std::move(sources);
  return Status::Ok();
}

}  // namespace

Status ReadIngest(const FieldReader& fields, const YAML::Node& n, DaemonConfig::Ingest* out) {
  if (Status s = fields.CheckMapKeys(
          n, "ingest",
          {"listen", "max_frame_bytes", "max_event_age", "max_batch_events", "max_string_bytes",
           "max_unknown_atms", "max_sources", "tls", "sources", "require_known_sources",
           "max_connections_per_ip", "idle_timeout", "frame_timeout", "write_timeout",
           "max_inflight_batches"});
      !s.ok()) {
    return s;
  }
  Status s;
  if (auto v = n["listen"]; s.ok() && v) s = fields.ReadHostPort(v, "ingest.listen", &out->listen);
  if (auto v = n["max_frame_bytes"]; s.ok() && v) {
    s = fields.ReadByteSize(v, "ingest.max_frame_bytes", 1024, &out->max_frame_bytes);
  }
  if (auto v = n["max_event_age"]; s.ok() && v) {
    s = fields.ReadDuration(v, "ingest.max_event_age", &out->max_event_age_ms);
  }
  if (auto v = n["max_batch_events"]; s.ok() && v) {
    s = fields.ReadSize(v, "ingest.max_batch_events", 1, 10000000, &out->max_batch_events);
  }
  if (auto v = n["max_string_bytes"]; s.ok() && v) {
    s = fields.ReadSize(v, "ingest.max_string_bytes", 16, 4096, &out->max_string_bytes);
  }
  if (auto v = n["max_unknown_atms"]; s.ok() && v) {
    s = fields.ReadSize(v, "ingest.max_unknown_atms", 0, 1000000, &out->max_unknown_atms);
  }
  if (auto v = n["max_sources"]; s.ok() && v) {
    s = fields.ReadSize(v, "ingest.max_sources", 0, 1000000, &out->max_sources);
  }
  if (auto v = n["tls"]; s.ok() && v) {
    s = ReadTls(fields, v, "ingest.tls", "ingest", "sources-ca", &out->tls);
  }
  if (auto v = n["sources"]; s.ok() && v) s = ReadSources(fields, v, out->tls, &out->sources);
  if (auto v = n["require_known_sources"]; s.ok() && v) {
    s = fields.ReadBool(v, "ingest.require_known_sources", &out->require_known_sources);
  }
  if (auto v = n["max_connections_per_ip"]; s.ok() && v) {
    s = fields.ReadSize(v, "ingest.max_connections_per_ip", 0, 1000000,
                        &out->max_connections_per_ip);
  }
  if (auto v = n["idle_timeout"]; s.ok() && v) {
    s = fields.ReadDurationUpTo(v, "ingest.idle_timeout", 24LL * 3600 * 1000,
                                &out->idle_timeout_ms);
  }
  if (auto v = n["frame_timeout"]; s.ok() && v) {
    s = fields.ReadDurationUpTo(v, "ingest.frame_timeout", 3600LL * 1000, &out->frame_timeout_ms);
  }
  if (auto v = n["write_timeout"]; s.ok() && v) {
    s = fields.ReadDurationUpTo(v, "ingest.write_timeout", 3600LL * 1000, &out->write_timeout_ms);
  }
  if (auto v = n["max_inflight_batches"]; s.ok() && v) {
    s = fields.ReadSize(v, "ingest.max_inflight_batches", 1, 4096, &out->max_inflight_batches);
  }
  return s;
}

}  // namespace atmwatch::config
