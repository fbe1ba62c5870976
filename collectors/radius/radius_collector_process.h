#pragma once

#include <chrono>
#include <string>

#include "testing/child_process.h"
#include "testing/temp_dir.h"

// atmwatch-radius as a child process for the end-to-end tests, and radclient
// (Debian freeradius-utils) to send it accounting.
namespace atmwatch::testing {

// The collector with `config_yaml` as its --config, on picked loopback ports
// (it cannot listen on port 0 and say which it took), sending to `ingest`;
// its output goes to a log file. Killed by the destructor if still running.
class RadiusCollectorProcess {
 public:
  RadiusCollectorProcess(const std::string& ingest, const std::string& config_yaml);
  RadiusCollectorProcess(const RadiusCollectorProcess&) = delete;
  RadiusCollectorProcess& operator=(const RadiusCollectorProcess&) = delete;

  // Spawns it and waits (bounded) until /metrics answers; a port taken
  // between picking and binding is picked again and the start retried.
  bool Start();
  // The exit code, or -1 when it did not exit within `timeout`.
  int Stop(int signal, std::chrono::milliseconds timeout);

  std::string address() const { return "127.0.0.1:" + std::to_string(udp_port_); }
  std::string metrics_url() const {
    return "http://127.0.0.1:" + std::to_string(metrics_port_) + "/metrics";
  }
  // The value of one series of its /metrics; -1 when absent.
  double Metric(const std::string& series) const;
  std::string log() const { return process_.log(); }

 private:
  TempDir dir_{"atmwatch-radius-test"};
  std::string ingest_;
  int udp_port_ = 0;
  int metrics_port_ = 0;
  ChildProcess process_;
};

struct RadclientReply {
  bool answered = false;
  std::string output;
};

// One Accounting-Request by radclient; `tries` datagrams at most, one a second.
// `dictionary_dir`, when given, holds a `dictionary` file of attributes
// beyond FreeRADIUS's own (radclient -d), e.g. a vendor's.
RadclientReply SendAccounting(const std::string& server, const std::string& secret,
                              const std::string& attributes, int tries = 1,
                              const std::string& dictionary_dir = "");

}  // namespace atmwatch::testing
