#pragma once

// A listener's TLS files (`ingest.tls`, `http.tls`): the certificate and key
// it presents and, optionally, the CA its clients' certificates must chain to.

#include "common/status.h"
#include "config/config_field.h"
#include "config/daemon_config.h"

namespace atmwatch::config {

// The map of cert_file, key_file and client_ca_file at `path`; `stem` and
// `ca_stem` make the examples in the errors (/etc/atmwatch/tls/STEM.crt,
// .../CA_STEM.crt).
Status ReadTls(const FieldReader& fields, const YAML::Node& n, const std::string& path,
               const std::string& stem, const std::string& ca_stem, DaemonConfig::Tls* out);

// ReadTls without the check of the keys, for a section that has more.
Status ReadTlsFiles(const FieldReader& fields, const YAML::Node& n, const std::string& path,
                    const std::string& stem, const std::string& ca_stem, DaemonConfig::Tls* out);

}  // namespace atmwatch::config
