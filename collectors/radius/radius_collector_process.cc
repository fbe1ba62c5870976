#include "radius/radius_collector_process.h"

#include <fstream>
#include <vector>

#include "testing/http_fetch.h"
#include "testing/picked_port.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {

using namespace std::chrono_literals;

RadiusCollectorProcess::RadiusCollectorProcess(const std::string& ingest,
                                               const std::string& config_yaml)
    : ingest_(ingest) {
  std::ofstream(dir_.Join("radius.yaml")) << config_yaml;
}

bool RadiusCollectorProcess::Start() {
  const auto spawn = [&] {
    udp_port_ = FreeUdpPort();
    metrics_port_ = FreePort();
    return process_.Spawn(
        {ATMWATCH_RADIUS_PATH, "--config", dir_.Join("radius.yaml"), "--listen", address(),
         "--metrics-listen", "127.0.0.1:" + std::to_string(metrics_port_), "--ingest", ingest_},
        dir_.Join("radius.log"));
  };
  return StartWithPortRetries(
      process_, spawn, [&] { return HttpGet(metrics_url()).status == 200; },
      {"cannot listen on", "cannot serve metrics on"}, 10s);
}

int RadiusCollectorProcess::Stop(int signal, std::chrono::milliseconds timeout) {
  return process_.Stop(signal, timeout);
}

double RadiusCollectorProcess::Metric(const std::string& series) const {
  return SampleValue(HttpGet(metrics_url()).body, series);
}

RadclientReply SendAccounting(const std::string& server, const std::string& secret,
                              const std::string& attributes, int tries,
                              const std::string& dictionary_dir) {
  std::vector<std::string> argv = {"radclient", "-x", "-r", std::to_string(tries), "-t", "1"};
  if (!dictionary_dir.empty()) argv.insert(argv.end(), {"-d", dictionary_dir});
  argv.insert(argv.end(), {server, "acct", secret});
  ToolResult result = RunTool(argv, attributes);
  RadclientReply reply;
  reply.answered = result.exit_code == 0 &&
                   result.output.find("Received Accounting-Response") != std::string::npos;
  reply.output = result.output;
  return reply;
}

}  // namespace atmwatch::testing
