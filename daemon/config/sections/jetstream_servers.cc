#include "config/sections/jetstream_servers.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <utility>

namespace atmwatch::config {
namespace {

// One server of the cluster: a URL with no spaces, listed once.
Status CheckServer(const FieldReader& fields, const YAML::Node& node, std::string_view path,
                   const std::string& server, const std::vector<std::string>& seen) {
  if (server.empty() || server.find_first_of(" \t\r\n") != std::string::npos) {
    return fields.Error(
        node, path,
        fmt::format("'{}' is not a server URL; write e.g. nats://10.0.0.1:4222", server));
  }
  for (const auto& other : seen) {
    if (other == server) {
      return fields.Error(node, path,
                          fmt::format("'{}' is listed twice; list each server once", server));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ReadJetStreamUrl(const FieldReader& fields, const YAML::Node& node,
                        std::vector<std::string>* out) {
  std::string text;
  if (Status s = fields.ReadNonEmpty(node, "jetstream.url", "nats://127.0.0.1:4222", &text);
      !s.ok()) {
    return s;
  }
  std::vector<std::string> servers;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    std::string server = text.substr(start, comma == std::string::npos ? comma : comma - start);
    const std::size_t first = server.find_first_not_of(' ');
    server = first == std::string::npos
                 ? ""
                 : server.substr(first, server.find_last_not_of(' ') - first + 1);
    if (Status s = CheckServer(fields, node, "jetstream.url", server, servers); !s.ok()) return s;
    servers.push_back(std::move(server));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  *out = std::move(servers);
  return Status::Ok();
}

Status ReadJetStreamServers(const FieldReader& fields, const YAML::Node& list,
                            std::vector<std::string>* out) {
  if (Status s = fields.CheckSequence(list, "jetstream.servers", "a server URL"); !s.ok()) {
    return s;
  }
  if (list.size() == 0) {
    return fields.Error(list, "jetstream.servers",
                        "is empty; write at least one server, e.g. [nats://10.0.0.1:4222]");
  }
  std::vector<std::string> servers;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = ItemPath("jetstream.servers", i);
    std::string server;
    if (Status s = fields.ReadNonEmpty(list[i], path, "nats://10.0.0.1:4222", &server); !s.ok()) {
      return s;
    }
    if (Status s = CheckServer(fields, list[i], path, server, servers); !s.ok()) return s;
    servers.push_back(std::move(server));
  }
  *out = std::move(servers);
  return Status::Ok();
}

}  // namespace atmwatch::config
