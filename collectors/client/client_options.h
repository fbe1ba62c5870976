#pragma once

#include <string>
#include <string_view>

#include "client/ingest_client.h"
#include "client/ingest_security_config.h"
#include "common/status.h"
#include "config/config_field.h"

// The `ingest` section every collector's config has, and the one place that
// turns it into the ingest client's options:
//
//   ingest:
//     address: "127.0.0.1:7420"   # the daemon's ingest listener, HOST:PORT
//     source_id: ...              # at most 128 bytes; the collector has a default
//     tls: {...}                  # client/ingest_security_config.h
//     token_file: ...
namespace atmwatch::client {

struct IngestConfig {
  std::string address = "127.0.0.1:7420";
  std::string source_id;
  IngestSecurity security;
};

// Reads the map `ingest` into `out`, keeping what it holds for absent keys.
// `source_id_example` is the example an error about source_id suggests.
// Errors read "FILE:LINE: ingest.key: problem; fix" (config::FieldReader).
Status ReadIngestConfig(const config::FieldReader& fields, const YAML::Node& ingest,
                        std::string_view source_id_example, IngestConfig* out);

// For commands that take --tls-* flags and a --token-file instead of a
// config: the token is read now, so that an unreadable file stops the command
// before it connects. The error is ReadTokenFile's.
Status IngestSecurityFromFlags(const ClientTlsOptions& tls, const std::string& token_file,
                               IngestSecurity* out);

// Options to reach the daemon as `ingest` says; the rest (batch size,
// window, timeouts) keep ClientOptions' defaults for the caller to tune.
ClientOptions ClientOptionsFor(const IngestConfig& ingest);

}  // namespace atmwatch::client
