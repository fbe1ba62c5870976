#include "journal/next_seq_query.h"

#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "atmwatch/v1/ingest.pb.h"

namespace atmwatch::journal {
namespace {

int Connect(const std::string& address, std::chrono::milliseconds timeout, std::string* error) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    *error = "'" + address + "' is not HOST:PORT";
    return -1;
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = getaddrinfo(host.c_str(), address.c_str() + colon + 1, &hints, &found)) {
    *error = std::string("cannot resolve ") + address + ": " + gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  *error = "cannot connect to " + address;
  for (addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      *error = "cannot connect to " + address + ": " + std::strerror(errno);
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  return fd;
}

}  // namespace

Status QueryNextSeq(const std::string& address, const std::string& source_id,
                    std::chrono::milliseconds timeout, std::uint64_t* next_seq) {
  std::string error;
  const int fd = Connect(address, timeout, &error);
  if (fd < 0) return Status::Error(error);
  v1::Batch hello;
  hello.set_source_id(source_id);
  v1::Ack ack;
  bool sent = false;
  bool received = false;
  {
    google::protobuf::io::FileOutputStream output(fd);
    sent = google::protobuf::util::SerializeDelimitedToZeroCopyStream(hello, &output) &&
           output.Flush();
    google::protobuf::io::FileInputStream input(fd);
    received =
        sent && google::protobuf::util::ParseDelimitedFromZeroCopyStream(&ack, &input, nullptr);
  }
  close(fd);
  if (!received) return Status::Error("no answer from " + address + " to the next-seq query");
  if (ack.error() != v1::Ack::NONE || ack.next_seq() == 0) {
    return Status::Error("the daemon refused source '" + source_id + "': " + ack.error_detail());
  }
  *next_seq = ack.next_seq();
  return Status::Ok();
}

}  // namespace atmwatch::journal
