#include "radius/radius_collector_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "http_fetch.h"
#include "read_file.h"
#include "tool_run.h"

namespace atmwatch::testing {

using namespace std::chrono_literals;

int FreeUdpPort() {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

RadiusCollectorProcess::RadiusCollectorProcess(const std::string& ingest,
                                               const std::string& config_yaml)
    : dir_(std::filesystem::temp_directory_path() /
           ("atmwatch-radius-test-" + std::to_string(getpid()) + "-" +
            std::to_string(instances_++))),
      udp_port_(FreeUdpPort()),
      metrics_port_(FreePort()) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "radius.yaml") << config_yaml;
  std::vector<std::string> argv = {ATMWATCH_RADIUS_PATH,
                                   "--config",
                                   (dir_ / "radius.yaml").string(),
                                   "--listen",
                                   "127.0.0.1:" + std::to_string(udp_port_),
                                   "--metrics-listen",
                                   "127.0.0.1:" + std::to_string(metrics_port_),
                                   "--ingest",
                                   ingest};
  pid_ = SpawnLogged(argv, (dir_ / "radius.log").string(), /*truncate_log=*/true);
}

RadiusCollectorProcess::~RadiusCollectorProcess() {
  if (pid_ > 0) Stop(SIGKILL, 2s);
  std::filesystem::remove_all(dir_);
}

bool RadiusCollectorProcess::WaitReady() const {
  for (auto deadline = std::chrono::steady_clock::now() + 10s;
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(50ms)) {
    if (HttpGet(metrics_url()).status == 200) return true;
  }
  return false;
}

int RadiusCollectorProcess::Stop(int signal, std::chrono::milliseconds timeout) {
  return StopChild(&pid_, signal, timeout);
}

double RadiusCollectorProcess::Metric(const std::string& series) const {
  return SampleValue(HttpGet(metrics_url()).body, series);
}

std::string RadiusCollectorProcess::log() const { return ReadFile(dir_ / "radius.log"); }

RadclientReply SendAccounting(const std::string& server, const std::string& secret,
                              const std::string& attributes, int tries) {
  ToolResult result =
      RunTool({"radclient", "-x", "-r", std::to_string(tries), "-t", "1", server, "acct", secret},
              attributes);
  RadclientReply reply;
  reply.answered = result.exit_code == 0 &&
                   result.output.find("Received Accounting-Response") != std::string::npos;
  reply.output = result.output;
  return reply;
}

}  // namespace atmwatch::testing
