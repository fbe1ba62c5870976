#include "radius/collector_config.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "client/collector_config_keys.h"
#include "config/config_field.h"

namespace atmwatch::radius {
namespace {

using config::FieldReader;
using config::ReadConfigFile;
using config::ReadConfigText;

Status ReadCount(const FieldReader& fields, const YAML::Node& node, std::string_view path,
                 std::size_t* out) {
  std::int64_t value = 0;
  if (Status status = fields.ReadInteger(node, path, &value); !status.ok()) return status;
  if (value < 1) return fields.Error(node, path, "must be at least 1; write e.g. 1000");
  *out = static_cast<std::size_t>(value);
  return Status::Ok();
}

Status ReadClients(const FieldReader& fields, const YAML::Node& node, CollectorConfig* config) {
  if (Status status = fields.CheckSequence(node, "clients", "a map {address, secret, carrier}");
      !status.ok()) {
    return status;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    const std::string path = config::ItemPath("clients", i);
    if (Status status = fields.CheckMapKeys(item, path, {"address", "secret", "carrier"});
        !status.ok()) {
      return status;
    }
    for (std::string_view required : {"address", "secret"}) {
      if (!item[std::string(required)]) {
        return fields.Error(
            item, path,
            "has no " + std::string(required) + "; every client needs an address and a secret");
      }
    }
    RadiusClient client;
    if (Status status = fields.ReadIpAddress(item["address"], path + ".address", &client.address);
        !status.ok()) {
      return status;
    }
    if (Status status = fields.ReadNonEmpty(item["secret"], path + ".secret",
                                            "the NAS's shared secret", &client.secret);
        !status.ok()) {
      return status;
    }
    if (item["carrier"]) {
      if (Status status = fields.ReadScalar(item["carrier"], path + ".carrier", &client.carrier);
          !status.ok()) {
        return status;
      }
    }
    if (!seen.insert(client.address).second) {
      return fields.Error(item["address"], path + ".address",
                          client.address + " is listed twice; keep one entry per NAS address");
    }
    config->clients.push_back(std::move(client));
  }
  return Status::Ok();
}

Status ReadNasCarriers(const FieldReader& fields, const YAML::Node& node, CollectorConfig* config) {
  if (!node.IsMap()) {
    return fields.Error(
        node, "nas_carriers",
        "expected a map from NAS-Identifier to carrier; write e.g. {docomo-ggsn1: docomo}");
  }
  for (const auto& entry : node) {
    const std::string nas = entry.first.Scalar();
    const std::string path = config::KeyPath("nas_carriers", nas);
    std::string carrier;
    if (Status status = fields.ReadNonEmpty(entry.second, path, "docomo", &carrier); !status.ok()) {
      return status;
    }
    if (!config->nas_carriers.emplace(nas, std::move(carrier)).second) {
      return fields.Error(entry.first, path, "key given twice; keep one of them");
    }
  }
  return Status::Ok();
}

Status ReadSignalAttribute(const FieldReader& fields, const YAML::Node& node,
                           CollectorConfig* config) {
  constexpr std::string_view kPath = "signal_attribute";
  if (Status status = fields.CheckMapKeys(node, kPath, {"vendor", "type"}); !status.ok()) {
    return status;
  }
  if (!node["vendor"] || !node["type"]) {
    return fields.Error(node, kPath,
                        "needs a vendor and a type; write e.g. {vendor: 10415, type: 200}");
  }
  std::int64_t vendor = 0;
  std::int64_t type = 0;
  // Vendor-Id's high octet is zero (RFC 2865 §5.26); Vendor-Type is one octet.
  if (Status status =
          fields.ReadIntegerIn(node["vendor"], "signal_attribute.vendor", 1, 0xFFFFFF, &vendor);
      !status.ok()) {
    return status;
  }
  if (Status status = fields.ReadIntegerIn(node["type"], "signal_attribute.type", 1, 255, &type);
      !status.ok()) {
    return status;
  }
  config->signal_attribute =
      VendorAttribute{static_cast<std::uint32_t>(vendor), static_cast<std::uint8_t>(type)};
  return Status::Ok();
}

Status ReadTop(const FieldReader& fields, const YAML::Node& root, CollectorConfig* config) {
  if (!root.IsDefined() || root.IsNull()) return Status::Ok();  // an empty file
  if (Status status = fields.CheckMapKeys(
          root, "",
          {"listen", "metrics_listen", "ingest", "clients", "nas_carriers", "queue_capacity",
           "duplicate_window", "max_tracked_lines", "signal_attribute", "log_level"});
      !status.ok()) {
    return status;
  }
  Status status;
  if (status.ok() && root["listen"]) {
    status = fields.ReadNonEmpty(root["listen"], "listen", "127.0.0.1:1813", &config->listen);
  }
  if (status.ok() && root["clients"]) status = ReadClients(fields, root["clients"], config);
  if (status.ok() && root["nas_carriers"]) {
    status = ReadNasCarriers(fields, root["nas_carriers"], config);
  }
  if (status.ok() && root["queue_capacity"]) {
    status = ReadCount(fields, root["queue_capacity"], "queue_capacity", &config->queue_capacity);
  }
  if (status.ok() && root["duplicate_window"]) {
    status = fields.ReadPositiveDuration(root["duplicate_window"], "duplicate_window",
                                         &config->duplicate_window);
  }
  if (status.ok() && root["max_tracked_lines"]) {
    status = ReadCount(fields, root["max_tracked_lines"], "max_tracked_lines",
                       &config->max_tracked_lines);
  }
  if (status.ok() && root["signal_attribute"]) {
    status = ReadSignalAttribute(fields, root["signal_attribute"], config);
  }
  if (!status.ok()) return status;
  return client::ReadCollectorConfigKeys(fields, root,
                                         {.metrics_listen = &config->metrics_listen,
                                          .metrics_listen_example = "127.0.0.1:9743",
                                          .ingest = &config->ingest,
                                          .source_id_example = "radius-tokyo-1",
                                          .log_level = &config->log_level});
}

}  // namespace

Status ParseCollectorConfig(const std::string& yaml_text, const std::string& file_name,
                            CollectorConfig* out) {
  CollectorConfig config = *out;
  const Status status =
      ReadConfigText(yaml_text, file_name, [&](const FieldReader& fields, const YAML::Node& root) {
        return ReadTop(fields, root, &config);
      });
  if (status.ok()) *out = std::move(config);
  return status;
}

Status LoadCollectorConfigFile(const std::string& path, CollectorConfig* out) {
  std::string text;
  if (Status status = ReadConfigFile(path, &text); !status.ok()) return status;
  return ParseCollectorConfig(text, path, out);
}

void SetLoopbackSecret(std::string secret, CollectorConfig* config) {
  for (RadiusClient& client : config->clients) {
    if (client.address == "127.0.0.1") {
      client.secret = std::move(secret);
      return;
    }
  }
  config->clients.push_back({"127.0.0.1", std::move(secret), ""});
}

std::string_view CarrierFor(const CollectorConfig& config, const RadiusClient& client,
                            std::string_view nas_identifier) {
  if (auto it = config.nas_carriers.find(nas_identifier); it != config.nas_carriers.end()) {
    return it->second;
  }
  return client.carrier;
}

}  // namespace atmwatch::radius
