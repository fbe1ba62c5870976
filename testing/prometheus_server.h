#pragma once

#include <google/protobuf/struct.pb.h>
#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "testing/child_process.h"
#include "testing/temp_dir.h"

namespace atmwatch::testing {

// JSON text as a google.protobuf.Struct (objects, arrays, strings, numbers as
// doubles); nullopt when the text is not a JSON object.
std::optional<google::protobuf::Struct> ParseJsonObject(const std::string& text);

// What an instant query or the alerts endpoint answered.
struct PromQueryResult {
  std::string error;                            // empty on success, else why it failed
  std::vector<google::protobuf::Struct> items;  // data.result, or data.alerts
};

// The string label values of one result item's `field` ("metric" for a
// query result, "labels" for an alert).
std::map<std::string, std::string> LabelsOf(const google::protobuf::Struct& item,
                                            const std::string& field);

// A real Prometheus server (the `prometheus` binary on PATH) listening on
// 127.0.0.1 port 0 (the port it took read from its log) with its own
// temporary directory for config, rule files, TSDB and log. The destructor
// kills a server still running and removes the directory. Not thread-safe.
class PrometheusServer {
 public:
  PrometheusServer() = default;
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;

  // Where to write the config and the rule files it names.
  const std::string& root() const { return root_.path(); }

  // Writes `config_yaml` to root()/prometheus.yml, spawns the server and
  // waits (bounded) until /-/ready answers 200. False if it exited or never
  // became ready; log() says why.
  bool Start(const std::string& config_yaml,
             std::chrono::seconds timeout = std::chrono::seconds(30));
  // SIGTERM and a bounded wait (then SIGKILL): the exit code, or -1.
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  std::string base() const;  // "http://127.0.0.1:PORT"
  std::string log() const;

  // GET /api/v1/query?query=EXPR at the server's now.
  PromQueryResult Query(const std::string& expr) const;
  // GET /api/v1/alerts: the active (pending and firing) alerts.
  PromQueryResult Alerts() const;

 private:
  PromQueryResult Fetch(const std::string& path_and_query, const std::string& list_field) const;

  TempDir root_{"atmwatch-prometheus"};
  int port_ = 0;
  ChildProcess process_;
};

}  // namespace atmwatch::testing
