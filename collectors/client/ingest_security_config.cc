#include "client/ingest_security_config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>

namespace atmwatch::client {
namespace {

using config::FieldReader;
using config::KeyPath;

// A path to a file this process can open for reading now.
Status ReadReadableFile(const FieldReader& fields, const YAML::Node& node, std::string_view path,
                        std::string_view example, std::string* out) {
  if (Status status = fields.ReadNonEmpty(node, path, example, out); !status.ok()) return status;
  // O_NONBLOCK: a FIFO at the path must not hang the start.
  const int fd = open(out->c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    return fields.Error(node, path,
                        "cannot read '" + *out + "': " + std::strerror(errno) +
                            "; give a file the collector's user can read");
  }
  struct stat info {};
  const bool regular = fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
  close(fd);
  if (!regular) return fields.Error(node, path, "'" + *out + "' is not a regular file");
  return Status::Ok();
}

Status ReadTls(const FieldReader& fields, const YAML::Node& node, const std::string& path,
               ClientTlsOptions* out) {
  if (Status status =
          fields.CheckMapKeys(node, path, {"ca_file", "cert_file", "key_file", "server_name"});
      !status.ok()) {
    return status;
  }
  ClientTlsOptions tls;
  tls.enabled = true;
  const struct {
    const char* key;
    const char* example;
    std::string* value;
  } files[] = {
      {"ca_file", "/etc/atmwatch/tls/ingest-ca.crt", &tls.ca_file},
      {"cert_file", "/etc/atmwatch/tls/collector.crt", &tls.cert_file},
      {"key_file", "/etc/atmwatch/tls/collector.key", &tls.key_file},
  };
  for (const auto& file : files) {
    if (!node[file.key]) continue;
    if (Status status = ReadReadableFile(fields, node[file.key], KeyPath(path, file.key),
                                         file.example, file.value);
        !status.ok()) {
      return status;
    }
  }
  if (node["server_name"]) {
    if (Status status = fields.ReadNonEmpty(node["server_name"], KeyPath(path, "server_name"),
                                            "ingest.example", &tls.server_name);
        !status.ok()) {
      return status;
    }
  }
  // A certificate is useless without its key and the other way round; the
  // client library would take the key from the certificate's file, which
  // hides a forgotten key_file until the first handshake.
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    const bool has_cert = !tls.cert_file.empty();
    return fields.Error(node[has_cert ? "cert_file" : "key_file"],
                        KeyPath(path, has_cert ? "cert_file" : "key_file"),
                        "is set without " + KeyPath(path, has_cert ? "key_file" : "cert_file") +
                            "; a client certificate needs its key, give both or neither");
  }
  // Loaded as a connection would, the CA file alone first, so that the
  // error names the key whose file OpenSSL cannot use.
  ClientTlsOptions ca_only;
  ca_only.ca_file = tls.ca_file;
  if (Status status = CheckClientTlsFiles(ca_only); !status.ok() && !tls.ca_file.empty()) {
    return fields.Error(node["ca_file"], KeyPath(path, "ca_file"),
                        status.message() + "; give the PEM certificate of the daemon's CA");
  }
  if (Status status = CheckClientTlsFiles(tls); !status.ok() && !tls.cert_file.empty()) {
    return fields.Error(
        node["cert_file"], KeyPath(path, "cert_file"),
        status.message() + "; give a PEM certificate and the key that belongs to it");
  }
  *out = std::move(tls);
  return Status::Ok();
}

Status ReadToken(const FieldReader& fields, const YAML::Node& node, const std::string& path,
                 std::string* token, std::string* file_out) {
  std::string file;
  if (Status status = ReadReadableFile(fields, node, path, "/etc/atmwatch/collector.token", &file);
      !status.ok()) {
    return status;
  }
  *file_out = file;
  if (!ReadTokenFile(file, token).ok()) {
    return fields.Error(node, path,
                        "'" + file +
                            "' is empty: the token is its first line; write it there, "
                            "e.g. openssl rand -hex 32 > " +
                            file);
  }
  return Status::Ok();
}

}  // namespace

Status ReadIngestSecurity(const FieldReader& fields, const YAML::Node& ingest,
                          std::string_view path, IngestSecurity* out) {
  IngestSecurity security = *out;
  if (ingest["tls"]) {
    if (Status status = ReadTls(fields, ingest["tls"], KeyPath(path, "tls"), &security.tls);
        !status.ok()) {
      return status;
    }
  }
  if (ingest["token_file"]) {
    if (Status status = ReadToken(fields, ingest["token_file"], KeyPath(path, "token_file"),
                                  &security.auth_token, &security.token_file);
        !status.ok()) {
      return status;
    }
  }
  *out = std::move(security);
  return Status::Ok();
}

std::string DescribeIngestSecurity(const IngestSecurity& security) {
  const bool token = !security.auth_token.empty();
  if (!security.tls.enabled) return token ? "plain TCP with a token (in clear)" : "plain TCP";
  std::string text = "TLS";
  if (!security.tls.cert_file.empty()) text += " with a client certificate";
  if (token) text += security.tls.cert_file.empty() ? " with a token" : " and a token";
  return text;
}

}  // namespace atmwatch::client
