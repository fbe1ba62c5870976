#include "config/sections/tls.h"

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

namespace atmwatch::config {
namespace {

// A path to a file the daemon reads; whether it can is checked when the
// listener starts (and on reload), where the error names the file.
Status FilePath(const FieldReader& fields, const YAML::Node& node, std::string_view path,
                std::string_view example, std::string* out) {
  return fields.ReadNonEmpty(node, path, example, out);
}

}  // namespace

Status ReadTls(const FieldReader& fields, const YAML::Node& n, const std::string& path,
               const std::string& stem, const std::string& ca_stem, DaemonConfig::Tls* out) {
  if (Status s = fields.CheckMapKeys(n, path, {"cert_file", "key_file", "client_ca_file"});
      !s.ok()) {
    return s;
  }
  return ReadTlsFiles(fields, n, path, stem, ca_stem, out);
}

Status ReadTlsFiles(const FieldReader& fields, const YAML::Node& n, const std::string& path,
                    const std::string& stem, const std::string& ca_stem, DaemonConfig::Tls* out) {
  const std::string example = "/etc/atmwatch/tls/" + stem;
  for (const char* key : {"cert_file", "key_file"}) {
    if (!n[key]) {
      return fields.Error(n, KeyPath(path, key),
                          "is required with TLS; write the PEM file's path, e.g. " + example +
                              (key == std::string_view("cert_file") ? ".crt" : ".key"));
    }
  }
  Status s = FilePath(fields, n["cert_file"], KeyPath(path, "cert_file"), example + ".crt",
                      &out->cert_file);
  if (s.ok()) {
    s = FilePath(fields, n["key_file"], KeyPath(path, "key_file"), example + ".key",
                 &out->key_file);
  }
  if (auto v = n["client_ca_file"]; s.ok() && v) {
    s = FilePath(fields, v, KeyPath(path, "client_ca_file"),
                 "/etc/atmwatch/tls/" + ca_stem + ".crt", &out->client_ca_file);
  }
  return s;
}

}  // namespace atmwatch::config
