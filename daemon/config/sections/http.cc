#include "config/sections/http.h"

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/sections/tls.h"

namespace atmwatch::config {
namespace {

// http.tls: the files, and the limits of the HTTPS front that terminates it.
Status ReadHttpTls(const FieldReader& fields, const YAML::Node& n, DaemonConfig::Http* out) {
  if (Status s = fields.CheckMapKeys(n, "http.tls",
                                     {"cert_file", "key_file", "client_ca_file", "max_connections",
                                      "handshake_timeout", "idle_timeout"});
      !s.ok()) {
    return s;
  }
  Status s = ReadTlsFiles(fields, n, "http.tls", "http", "scrapers-ca", &out->tls);
  if (auto v = n["max_connections"]; s.ok() && v) {
    s = fields.ReadSize(v, "http.tls.max_connections", 1, 100000, &out->tls_limits.max_connections);
  }
  if (auto v = n["handshake_timeout"]; s.ok() && v) {
    s = fields.ReadDurationUpTo(v, "http.tls.handshake_timeout", 3600LL * 1000,
                                &out->tls_limits.handshake_timeout_ms);
  }
  if (auto v = n["idle_timeout"]; s.ok() && v) {
    s = fields.ReadDurationUpTo(v, "http.tls.idle_timeout", 24LL * 3600 * 1000,
                                &out->tls_limits.idle_timeout_ms);
  }
  return s;
}

// user: crypt(3) hash, as Prometheus exporters' web config has them.
Status ReadBasicAuthUsers(const FieldReader& fields, const YAML::Node& n,
                          std::vector<std::pair<std::string, std::string>>* out) {
  if (!n.IsMap()) {
    return fields.Error(n, "http.basic_auth_users",
                        "must be a map of user: password hash, e.g. {prometheus: \"$6$...\"}");
  }
  std::vector<std::pair<std::string, std::string>> users;
  for (const auto& entry : n) {
    const std::string user = entry.first.as<std::string>();
    const std::string path = KeyPath("http.basic_auth_users", user);
    if (user.empty() || user.find(':') != std::string::npos) {
      return fields.Error(entry.first, path,
                          "is not a user name (not empty, no ':'); write e.g. prometheus");
    }
    std::string hash;
    if (Status s = fields.ReadScalar(entry.second, path, &hash); !s.ok()) return s;
    static constexpr std::string_view kSchemes[] = {"$6$", "$5$", "$y$", "$2b$"};
    bool known = false;
    for (std::string_view scheme : kSchemes) known = known || hash.starts_with(scheme);
    if (!known) {
      return fields.Error(entry.second, path,
                          "is not a crypt(3) password hash ($6$, $5$, $y$ or $2b$); write the "
                          "output of `openssl passwd -6`, never the password itself");
    }
    for (const auto& [seen, unused] : users) {
      if (seen == user) {
        return fields.Error(entry.first, path, "is listed twice; list each user once");
      }
    }
    users.emplace_back(user, std::move(hash));
  }
  *out = std::move(users);
  return Status::Ok();
}

}  // namespace

Status ReadHttp(const FieldReader& fields, const YAML::Node& n, DaemonConfig::Http* out) {
  if (Status s = fields.CheckMapKeys(n, "http", {"listen", "tls", "basic_auth_users"}); !s.ok()) {
    return s;
  }
  if (auto l = n["listen"]) {
    if (Status s = fields.ReadHostPort(l, "http.listen", &out->listen); !s.ok()) return s;
  }
  if (auto t = n["tls"]) {
    if (Status s = ReadHttpTls(fields, t, out); !s.ok()) return s;
  }
  if (auto users = n["basic_auth_users"]) {
    if (Status s = ReadBasicAuthUsers(fields, users, &out->basic_auth_users); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace atmwatch::config
