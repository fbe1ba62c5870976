#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

// atmwatch-radius as a child process for the end-to-end tests, and radclient
// (Debian freeradius-utils) to send it accounting.
namespace atmwatch::testing {

// A free UDP port on 127.0.0.1 at the time of asking.
int FreeUdpPort();

// The collector with `config_yaml` as its --config, on free loopback ports,
// sending to `ingest`; its output goes to a log file. Killed by the
// destructor if still running.
class RadiusCollectorProcess {
 public:
  RadiusCollectorProcess(const std::string& ingest, const std::string& config_yaml);
  ~RadiusCollectorProcess();
  RadiusCollectorProcess(const RadiusCollectorProcess&) = delete;
  RadiusCollectorProcess& operator=(const RadiusCollectorProcess&) = delete;

  // Bounded wait until /metrics answers.
  bool WaitReady() const;
  // The exit code, or -1 when it did not exit within `timeout`.
  int Stop(int signal, std::chrono::milliseconds timeout);

  std::string address() const { return "127.0.0.1:" + std::to_string(udp_port_); }
  std::string metrics_url() const {
    return "http://127.0.0.1:" + std::to_string(metrics_port_) + "/metrics";
  }
  // The value of one series of its /metrics; -1 when absent.
  double Metric(const std::string& series) const;
  std::string log() const;

 private:
  static inline int instances_ = 0;
  std::filesystem::path dir_;
  int udp_port_;
  int metrics_port_;
  pid_t pid_ = -1;
};

struct RadclientReply {
  bool answered = false;
  std::string output;
};

// One Accounting-Request by radclient; `tries` datagrams at most, one a second.
RadclientReply SendAccounting(const std::string& server, const std::string& secret,
                              const std::string& attributes, int tries = 1);

}  // namespace atmwatch::testing
