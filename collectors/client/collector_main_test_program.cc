// A collector that does nothing but say what RunCollectorMain asked of it,
// for collector_main_test: it runs until asked to stop, or with --hang never
// returns, so that the shutdown deadline has to end it.

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "client/collector_main.h"

namespace {

using atmwatch::Status;
using namespace std::chrono_literals;

class FakeProgram : public atmwatch::client::Collector {
 public:
  void AddFlags(CLI::App& app) override {
    app.add_flag("--hang", hang_, "never return from Run");
    app.add_flag("--refuse-config", refuse_config_, "fail Configure");
  }

  // The file holds "ADDRESS SOURCE_ID".
  Status LoadConfigFile(const std::string& path) override {
    std::ifstream file(path);
    if (!(file >> ingest_.address >> ingest_.source_id)) {
      return Status::Error(path + ": not ADDRESS SOURCE_ID");
    }
    return Status::Ok();
  }
  atmwatch::client::IngestConfig& ingest_config() override { return ingest_; }
  std::string& metrics_listen() override { return metrics_listen_; }

  Status Configure() override {
    if (refuse_config_) return Status::Error("the config says no; fix it");
    return Status::Ok();
  }
  std::string log_level() const override { return "info"; }

  void RegisterMetrics(prometheus::Registry& registry) override {
    prometheus::BuildCounter().Name("fake_runs_total").Help("Runs").Register(registry).Add({});
  }

  int Run() override {
    std::cout << "running: ingest " << ingest_.address << " as " << ingest_.source_id << std::endl;
    // Bounded by the test's ChildProcess::Stop, which kills a process still running.
    while (hang_ || !stop_.load()) std::this_thread::sleep_for(10ms);
    std::cout << "stopped" << std::endl;
    return 0;
  }

  void RequestStop(int signal) override {
    std::cout << "stop requested by signal " << signal << std::endl;
    stop_.store(true);
  }

  std::string DeadlineWarning(std::chrono::milliseconds deadline) override {
    return "still busy after " + std::to_string(deadline.count()) + " ms";
  }

 private:
  bool hang_ = false;
  bool refuse_config_ = false;
  atmwatch::client::IngestConfig ingest_ = [] {
    atmwatch::client::IngestConfig config;
    config.source_id = "fake-default";
    return config;
  }();
  std::string metrics_listen_ = "127.0.0.1:9799";
  std::atomic<bool> stop_{false};
};

}  // namespace

int main(int argc, char** argv) {
  const atmwatch::client::CollectorIdentity identity{
      .program = "atmwatch-fake",
      .log_name = "fake",
      .description = "atmwatch-fake: a collector for tests",
      .version = "1.2.3",
      .default_metrics_listen = "127.0.0.1:9799",
      .default_source_id = "fake-default",
  };
  FakeProgram program;
  return atmwatch::client::RunCollectorMain(argc, argv, identity, program, 300ms);
}
