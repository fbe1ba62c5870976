#include "testing/shipped_prometheus.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "testing/read_file.h"

namespace atmwatch::testing {
namespace {

// A shipped rule file with every `for:` set to kShortForSeconds; everything
// else byte for byte as shipped.
std::string WithShortFor(const std::string& rules, int* rewritten) {
  std::istringstream lines(rules);
  std::string out;
  std::string line;
  while (std::getline(lines, line)) {
    const std::size_t indent = line.find_first_not_of(' ');
    if (indent != std::string::npos && line.compare(indent, 4, "for:") == 0) {
      line = line.substr(0, indent) + "for: " + std::to_string(kShortForSeconds) + "s";
      ++*rewritten;
    }
    out += line + '\n';
  }
  return out;
}

// The shipped prometheus.yml pointed at the test's daemon: the atmwatchd job
// scrapes the daemon's HTTP port; the collectors' jobs are left out (they do
// not run here, and would only fire AtmwatchScrapeFailing) and so is the
// Alertmanager (its routes and inhibitions have their own tests under
// deploy/alertmanager); scrape and evaluation every second; the rule files
// are the copies from WithShortFor. Empty with *error set when the shipped
// file does not have the shape this relies on.
std::string PrometheusConfig(const std::filesystem::path& shipped, const std::string& target,
                             const std::vector<std::string>& rule_files, std::string* error) {
  YAML::Node config = YAML::LoadFile(shipped.string());
  config["global"]["scrape_interval"] = "1s";
  config["global"]["scrape_timeout"] = "1s";
  config["global"]["evaluation_interval"] = "1s";
  config.remove("alerting");
  YAML::Node rules(YAML::NodeType::Sequence);
  for (const std::string& file : rule_files) rules.push_back(file);
  config["rule_files"] = rules;
  YAML::Node jobs(YAML::NodeType::Sequence);
  for (YAML::Node job : config["scrape_configs"]) {
    if (job["job_name"].as<std::string>() != "atmwatchd") continue;
    YAML::Node targets = job["static_configs"][0]["targets"];
    if (targets.size() != 1 || targets[0].as<std::string>() != "127.0.0.1:9742") {
      *error = "the atmwatchd job does not scrape 127.0.0.1:9742 alone";
      return "";
    }
    targets[0] = target;
    jobs.push_back(job);
  }
  if (jobs.size() != 1) {
    *error = "prometheus.yml has no scrape job named atmwatchd";
    return "";
  }
  config["scrape_configs"] = jobs;
  YAML::Emitter out;
  out << config;
  return out.c_str();
}

}  // namespace

std::string ShippedConfigFor(const std::filesystem::path& prometheus_dir, const std::string& target,
                             const std::string& dir, std::string* error) {
  const std::filesystem::path shipped_config = prometheus_dir / "prometheus.yml";
  std::vector<std::string> rule_files;
  int rewritten = 0;
  for (const YAML::Node& file : YAML::LoadFile(shipped_config.string())["rule_files"]) {
    const std::filesystem::path shipped = prometheus_dir / file.as<std::string>();
    const std::string copy = dir + "/" + shipped.filename().string();
    std::ofstream(copy) << WithShortFor(ReadFile(shipped), &rewritten);
    rule_files.push_back(copy);
  }
  if (rule_files.size() != 2) {
    *error = "prometheus.yml should name the recording and the alert rules";
  } else if (rewritten == 0) {
    *error = "no `for:` in the shipped rules: the alerts would fire at once";
  }
  return error->empty() ? PrometheusConfig(shipped_config, target, rule_files, error) : "";
}

}  // namespace atmwatch::testing
