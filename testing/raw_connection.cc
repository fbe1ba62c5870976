#include "testing/raw_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace atmwatch::testing {

RawConnection::RawConnection(const std::string& address, Options options) {
  const auto colon = address.rfind(':');
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1))));
  inet_pton(AF_INET, address.substr(0, colon).c_str(), &sa.sin_addr);
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  if (options.receive_buffer_bytes > 0) {
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &options.receive_buffer_bytes,
               sizeof options.receive_buffer_bytes);
  }
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(options.timeout);
  timeval tv{static_cast<time_t>(micros.count() / 1000000),
             static_cast<suseconds_t>(micros.count() % 1000000)};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
}

RawConnection::~RawConnection() { close(fd_); }

bool RawConnection::Write(const std::string& bytes) {
  return send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

bool RawConnection::ClosedByPeer() {
  char buffer[4096];
  for (;;) {
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) return true;
    if (n < 0) return false;  // the timeout passed: still open
  }
}

}  // namespace atmwatch::testing
