#pragma once

#include <string>
#include <string_view>

#include "client/ingest_client.h"
#include "common/status.h"
#include "config/config_field.h"

// The keys of a collector's `ingest` section that secure its connection to
// atmwatchd, read the same way by atmwatch-radius and atmwatch-journal:
//
//   ingest:
//     tls:                                          # TLS 1.2+ (the daemon has ingest.tls)
//       ca_file: /etc/atmwatch/tls/ingest-ca.crt    # verifies the daemon; default: system store
//       cert_file: /etc/atmwatch/tls/radius-1.crt   # client certificate (mTLS), with key_file
//       key_file: /etc/atmwatch/tls/radius-1.key
//       server_name: ingest.example                 # default: the host of ingest.address
//     token_file: /etc/atmwatch/radius-1.token      # its first line goes in Batch.auth_token
//
// The files are read with the config, so a collector that cannot use them
// does not start: each must be readable, the certificate and key must load
// and match, the token file must not be empty. The client reads them all
// again for each new connection, so rotated credentials need no restart.
// Errors read "FILE:LINE: ingest.tls.cert_file: problem; fix"
// (config::FieldReader).
namespace atmwatch::client {

struct IngestSecurity {
  ClientTlsOptions tls;    // tls.enabled once the section has `tls`
  std::string auth_token;  // empty without token_file
  std::string token_file;  // where auth_token was read from
};

// Reads `tls` and `token_file` of the map `ingest` (found at `path`, whose
// keys the caller has checked) into `out`; absent keys leave it as it was.
Status ReadIngestSecurity(const config::FieldReader& fields, const YAML::Node& ingest,
                          std::string_view path, IngestSecurity* out);

// How the collector talks to the daemon, for its start-up log line:
// "TLS with a client certificate and a token", "plain TCP", ...
std::string DescribeIngestSecurity(const IngestSecurity& security);

}  // namespace atmwatch::client
