#pragma once

#include <string>
#include <utility>

namespace atmwatch {

// The outcome of an operation on an I/O path: ok, or an error with a message
// that names what failed (file, offset, key). Cheap to return when ok.
class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return message_.empty(); }
  const std::string& message() const { return message_; }

 private:
  explicit Status(std::string message)
      : message_(message.empty() ? std::string("unknown error") : std::move(message)) {}

  std::string message_;
};

}  // namespace atmwatch
