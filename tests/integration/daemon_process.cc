#include "daemon_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "http_fetch.h"
#include "read_file.h"
#include "tool_run.h"

namespace atmwatch::testing {

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("no free port on 127.0.0.1");
  }
  close(fd);
  return ntohs(address.sin_port);
}

DaemonProcess::DaemonProcess(std::string config_yaml, std::vector<std::string> extra_args)
    : extra_args_(std::move(extra_args)), ingest_port_(FreePort()), http_port_(FreePort()) {
  std::string pattern = (std::filesystem::temp_directory_path() / "atmwatchd-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  root_ = pattern;
  data_dir_ = root_ + "/data";
  config_path_ = root_ + "/atmwatch.yaml";
  // An empty config file is refused; {} is every default.
  WriteConfig(config_yaml.empty() ? "{}\n" : config_yaml);
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

void DaemonProcess::WriteConfig(const std::string& config_yaml) const {
  std::ofstream(config_path_) << config_yaml;
}

void DaemonProcess::Spawn() {
  std::vector<std::string> args = {ATMWATCHD_PATH,    "--config",       config_path_,
                                   "--ingest-listen", ingest_address(), "--http-listen",
                                   http_address(),    "--data-dir",     data_dir_};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  pid_ = SpawnLogged(args, root_ + "/atmwatchd.log");
}

bool DaemonProcess::Start(std::chrono::seconds timeout) {
  Spawn();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pid_ <= 0 || waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    if (HttpGet(http_base() + "/readyz", https_client_.value_or(HttpClientOptions{})).status ==
        200) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int DaemonProcess::WaitExit(std::chrono::milliseconds timeout) { return WaitChild(&pid_, timeout); }

int DaemonProcess::Stop(int signal, std::chrono::milliseconds timeout) {
  return StopChild(&pid_, signal, timeout);
}

void DaemonProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void DaemonProcess::Signal(int signal) const {
  if (pid_ > 0) kill(pid_, signal);
}

std::string DaemonProcess::ingest_address() const {
  return "127.0.0.1:" + std::to_string(ingest_port_);
}

std::string DaemonProcess::http_base() const {
  return (https_client_ ? "https://" : "http://") + http_address();
}

std::string DaemonProcess::http_address() const {
  return "127.0.0.1:" + std::to_string(http_port_);
}

std::string DaemonProcess::log() const { return ReadFile(root_ + "/atmwatchd.log"); }

}  // namespace atmwatch::testing
