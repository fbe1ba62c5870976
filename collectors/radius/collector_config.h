#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/client_options.h"
#include "common/status.h"
#include "radius/dictionary.h"

// What atmwatch-radius reads from its YAML file. Every key is optional; with
// no file the collector serves 127.0.0.1:1813 and knows no client until
// --secret names one. The schema, with the defaults:
//
//   listen: "127.0.0.1:1813"
//   metrics_listen: "127.0.0.1:9743"
//   ingest:
//     address: "127.0.0.1:7420"
//     source_id: "atmwatch-radius"
//     tls: {ca_file: ..., cert_file: ..., key_file: ...}   # none: plain TCP
//     token_file: /etc/atmwatch/radius.token               # none: no token
//                                 # (client/client_options.h)
//   clients:                      # NASes allowed to send, by source address
//     - {address: 10.1.0.7, secret: "...", carrier: docomo}   # carrier optional
//   nas_carriers:                 # NAS-Identifier -> carrier; wins over a client's carrier
//     docomo-ggsn1: docomo
//   queue_capacity: 10000         # events waiting for the daemon; beyond, datagrams drop
//   duplicate_window: 30s         # how long an answered request is remembered
//   max_tracked_lines: 1000000    # open sessions remembered for Accounting-On/Off
//   signal_attribute: {vendor: 10415, type: 200}   # none: no signal_dbm
//                                 # the Vendor-Specific sub-attribute holding the
//                                 # line's signal strength, a signed integer in dBm
//   log_level: info               # config/log_level.h
namespace atmwatch::radius {

struct RadiusClient {
  std::string address;  // a source IP, normalised (e.g. "10.1.0.7", "::1")
  std::string secret;   // never empty
  std::string carrier;  // for NAS-Identifiers not in nas_carriers; may be empty
};

struct CollectorConfig {
  std::string listen = "127.0.0.1:1813";
  std::string metrics_listen = "127.0.0.1:9743";
  client::IngestConfig ingest{.source_id = "atmwatch-radius", .security = {}};
  std::vector<RadiusClient> clients;
  std::map<std::string, std::string, std::less<>> nas_carriers;
  std::size_t queue_capacity = 10000;
  std::chrono::milliseconds duplicate_window{30000};
  std::size_t max_tracked_lines = 1000000;
  std::optional<VendorAttribute> signal_attribute;
  std::string log_level = "info";
};

// Parses YAML text into `out` (which keeps its defaults for absent keys).
// Errors read "FILE:LINE: key.path: problem; fix" (config::FieldReader);
// unknown keys are errors, so a typo is never silently ignored.
Status ParseCollectorConfig(const std::string& yaml_text, const std::string& file_name,
                            CollectorConfig* out);

// Reads and parses a file; a missing or unreadable file is an error.
Status LoadCollectorConfigFile(const std::string& path, CollectorConfig* out);

// The shortcut of --secret: makes `secret` the secret of client 127.0.0.1,
// adding that client when the config has none.
void SetLoopbackSecret(std::string secret, CollectorConfig* config);

// The carrier of a request: nas_carriers[nas_identifier] when configured,
// else the client's own carrier (possibly empty).
std::string_view CarrierFor(const CollectorConfig& config, const RadiusClient& client,
                            std::string_view nas_identifier);

}  // namespace atmwatch::radius
