#pragma once

#include <chrono>
#include <string>

namespace atmwatch::testing {

// A bare TCP connection to a daemon port on 127.0.0.1, for peers the client
// library would never be: one that sends broken frames, goes idle, dribbles
// bytes or stops reading.
class RawConnection {
 public:
  struct Options {
    // > 0: the socket's receive buffer is shrunk to this before connecting,
    // so a peer that does not read fills up soon.
    int receive_buffer_bytes = 0;
    // How long a read or write waits before giving up.
    std::chrono::milliseconds timeout{5000};
  };

  explicit RawConnection(const std::string& address) : RawConnection(address, Options{}) {}
  RawConnection(const std::string& address, Options options);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  // False when not all of `bytes` could be sent within the timeout.
  bool Write(const std::string& bytes);
  // Reads (and drops) what the daemon sent until it closes the connection:
  // true; false when the timeout passes with the connection still open.
  bool ClosedByPeer();

 private:
  int fd_ = -1;
  bool connected_ = false;
};

}  // namespace atmwatch::testing
