#include "prometheus_server.h"

#include <google/protobuf/util/json_util.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "daemon_process.h"  // FreePort
#include "http_fetch.h"
#include "read_file.h"
#include "tool_run.h"

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

PrometheusServer::PrometheusServer() : port_(FreePort()) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "atmwatch-prometheus-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  root_ = pattern;
}

PrometheusServer::~PrometheusServer() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

bool PrometheusServer::Start(const std::string& config_yaml, std::chrono::seconds timeout) {
  const std::string config_path = root_ + "/prometheus.yml";
  std::ofstream(config_path) << config_yaml;
  const std::string binary = RunTool({"sh", "-c", "command -v prometheus"}).output;
  pid_ = SpawnLogged({binary.substr(0, binary.find('\n')), "--config.file=" + config_path,
                      "--storage.tsdb.path=" + root_ + "/tsdb",
                      "--web.listen-address=127.0.0.1:" + std::to_string(port_)},
                     root_ + "/prometheus.log");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pid_ <= 0 || waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    if (HttpGet(base() + "/-/ready").status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

int PrometheusServer::Stop(std::chrono::milliseconds timeout) {
  return StopChild(&pid_, SIGTERM, timeout);
}

std::string PrometheusServer::base() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string PrometheusServer::log() const { return ReadFile(root_ + "/prometheus.log"); }

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
