#include "testing/daemon_process.h"

#include <fstream>

#include "testing/http_fetch.h"

namespace atmwatch::testing {
namespace {

using namespace std::chrono_literals;

// The port of the "<what>: listening on HOST:PORT" line in `log`, or 0.
int ListeningPort(const std::string& log, const std::string& what) {
  const std::optional<std::string> line = LineContaining(log, what + ": listening on ");
  if (!line) return 0;
  return std::stoi(line->substr(line->rfind(':') + 1));
}

}  // namespace

DaemonProcess::DaemonProcess(std::string config_yaml, std::vector<std::string> extra_args)
    : data_dir_(root_.Join("data")),
      config_path_(root_.Join("atmwatch.yaml")),
      extra_args_(std::move(extra_args)) {
  // An empty config file is refused; {} is every default.
  WriteConfig(config_yaml.empty() ? "{}\n" : config_yaml);
}

void DaemonProcess::WriteConfig(const std::string& config_yaml) const {
  std::ofstream(config_path_) << config_yaml;
}

void DaemonProcess::Spawn() {
  std::vector<std::string> args = {ATMWATCHD_PATH,    "--config",       config_path_,
                                   "--ingest-listen", ingest_address(), "--http-listen",
                                   http_address(),    "--data-dir",     data_dir_};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  log_offset_ = log().size();
  process_.Spawn(args, root_.Join("atmwatchd.log"));
}

bool DaemonProcess::WaitListening(std::chrono::milliseconds timeout) {
  return process_.WaitUntil(
      [&] {
        const std::string latest = log().substr(log_offset_);
        const int ingest = ListeningPort(latest, "ingest");
        const int http = ListeningPort(latest, "http");
        if (ingest == 0 || http == 0) return false;
        // A restart is given the ports of the first start: written once,
        // they may be read by other threads while a test restarts it.
        if (ingest_port_ != ingest) ingest_port_ = ingest;
        if (http_port_ != http) http_port_ = http;
        return true;
      },
      timeout);
}

bool DaemonProcess::Start(std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now());
  };
  Spawn();
  if (!WaitListening(left())) return false;
  const HttpClientOptions client = https_client_.value_or(HttpClientOptions{});
  return process_.WaitUntil([&] { return HttpGet(http_base() + "/readyz", client).status == 200; },
                            left());
}

int DaemonProcess::WaitExit(std::chrono::milliseconds timeout) { return process_.Wait(timeout); }

int DaemonProcess::Stop(int signal, std::chrono::milliseconds timeout) {
  return process_.Stop(signal, timeout);
}

void DaemonProcess::Kill() { process_.Kill(); }

void DaemonProcess::Signal(int signal) const { process_.Signal(signal); }

std::string DaemonProcess::ingest_address() const {
  return "127.0.0.1:" + std::to_string(ingest_port_);
}

std::string DaemonProcess::http_base() const {
  return (https_client_ ? "https://" : "http://") + http_address();
}

std::string DaemonProcess::http_address() const {
  return "127.0.0.1:" + std::to_string(http_port_);
}

}  // namespace atmwatch::testing
