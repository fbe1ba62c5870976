#include "testing/picked_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace atmwatch::testing {
namespace {

int FreeLoopbackPort(int type) {
  const int fd = socket(AF_INET, type, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) close(fd);
    throw std::runtime_error("no free port on 127.0.0.1");
  }
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

int FreePort() { return FreeLoopbackPort(SOCK_STREAM); }

int FreeUdpPort() { return FreeLoopbackPort(SOCK_DGRAM); }

bool StartWithPortRetries(ChildProcess& child, const std::function<bool()>& spawn,
                          const std::function<bool()>& ready,
                          const std::vector<std::string>& bind_failures,
                          std::chrono::milliseconds timeout, int attempts) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    const std::size_t log_offset = child.log().size();
    if (!spawn()) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (child.WaitUntil(ready, left)) return true;
    if (child.running()) return false;  // the deadline passed
    // A log truncated at the spawn holds this start's output alone.
    const std::string log = child.log();
    const std::string output = log.size() >= log_offset ? log.substr(log_offset) : log;
    bool bind_failed = false;
    for (const auto& failure : bind_failures) {
      bind_failed |= output.find(failure) != std::string::npos;
    }
    if (!bind_failed) return false;
  }
  return false;
}

}  // namespace atmwatch::testing
