#include "testing/prometheus_server.h"

#include <google/protobuf/util/json_util.h>
#include <signal.h>

#include <cctype>
#include <fstream>

#include "testing/http_fetch.h"

namespace atmwatch::testing {
namespace {

std::string UrlEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace

std::optional<google::protobuf::Struct> ParseJsonObject(const std::string& text) {
  google::protobuf::Struct parsed;
  if (!google::protobuf::util::JsonStringToMessage(text, &parsed).ok()) return std::nullopt;
  return parsed;
}

std::map<std::string, std::string> LabelsOf(const google::protobuf::Struct& item,
                                            const std::string& field) {
  std::map<std::string, std::string> labels;
  const auto it = item.fields().find(field);
  if (it == item.fields().end()) return labels;
  for (const auto& [name, value] : it->second.struct_value().fields()) {
    labels[name] = value.string_value();
  }
  return labels;
}

bool PrometheusServer::Start(const std::string& config_yaml, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now());
  };
  const std::string config_path = root_.Join("prometheus.yml");
  std::ofstream(config_path) << config_yaml;
  if (!process_.Spawn(
          {"prometheus", "--config.file=" + config_path,
           "--storage.tsdb.path=" + root_.Join("tsdb"), "--web.listen-address=127.0.0.1:0"},
          root_.Join("prometheus.log"))) {
    return false;
  }
  // The web component logs the bound address once it listens:
  //   ... msg="Listening on" address=127.0.0.1:34487
  const std::optional<std::string> line = process_.WaitForLine("msg=\"Listening on\"", left());
  if (!line) return false;
  std::string address = line->substr(line->find("address=") + 8);
  address = address.substr(0, address.find(' '));
  port_ = std::stoi(address.substr(address.rfind(':') + 1));
  return process_.WaitUntil([&] { return HttpGet(base() + "/-/ready").status == 200; }, left());
}

int PrometheusServer::Stop(std::chrono::milliseconds timeout) {
  return process_.Stop(SIGTERM, timeout);
}

std::string PrometheusServer::base() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string PrometheusServer::log() const { return process_.log(); }

PromQueryResult PrometheusServer::Query(const std::string& expr) const {
  return Fetch("/api/v1/query?query=" + UrlEncode(expr), "result");
}

PromQueryResult PrometheusServer::Alerts() const { return Fetch("/api/v1/alerts", "alerts"); }

PromQueryResult PrometheusServer::Fetch(const std::string& path_and_query,
                                        const std::string& list_field) const {
  PromQueryResult result;
  const HttpResult response = HttpGet(base() + path_and_query);
  const std::optional<google::protobuf::Struct> body = ParseJsonObject(response.body);
  if (!body) {
    result.error = "HTTP " + std::to_string(response.status) + ", not JSON: " + response.body;
    return result;
  }
  const auto& fields = body->fields();
  if (response.status != 200 || !fields.contains("status") ||
      fields.at("status").string_value() != "success") {
    const auto error = fields.find("error");
    result.error = "HTTP " + std::to_string(response.status) + ": " +
                   (error != fields.end() ? error->second.string_value() : response.body);
    return result;
  }
  const auto data = fields.find("data");
  if (data == fields.end()) return result;
  const auto list = data->second.struct_value().fields().find(list_field);
  if (list == data->second.struct_value().fields().end()) {
    result.error = "no data." + list_field + " in " + response.body;
    return result;
  }
  for (const auto& value : list->second.list_value().values()) {
    result.items.push_back(value.struct_value());
  }
  return result;
}

}  // namespace atmwatch::testing
