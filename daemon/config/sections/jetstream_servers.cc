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

std::vector<std::string> SplitServerList(std::string_view text) {
  std::vector<std::string> servers;
  for (std::size_t start = 0;;) {
    const std::size_t comma = text.find(',', start);
    std::string_view server = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    const std::size_t first = server.find_first_not_of(' ');
    server = first == std::string_view::npos
                 ? std::string_view()
                 : server.substr(first, server.find_last_not_of(' ') - first + 1);
    servers.emplace_back(server);
    if (comma == std::string_view::npos) return servers;
    start = comma + 1;
  }
}

Status ReadJetStreamUrl(const FieldReader& fields, const YAML::Node& node,
                        std::vector<std::string>* out) {
  std::string text;
  if (Status s = fields.ReadNonEmpty(node, "jetstream.url", "nats://127.0.0.1:4222", &text);
      !s.ok()) {
    return s;
  }
  std::vector<std::string> servers;
  for (std::string& server : SplitServerList(text)) {
    if (Status s = CheckServer(fields, node, "jetstream.url", server, servers); !s.ok()) return s;
    servers.push_back(std::move(server));
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
