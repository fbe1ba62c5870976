#include "wal/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace atmwatch::wal {

Status PosixError(std::string_view path, std::string_view what, int error_number) {
  std::string message(path);
  message.append(": ").append(what).append(": ");
  message.append(std::generic_category().message(error_number));
  message.append(" (errno ").append(std::to_string(error_number)).append(")");
  return Status::Error(std::move(message));
}

PosixWritableFile::PosixWritableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}

PosixWritableFile::~PosixWritableFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status PosixWritableFile::Append(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return PosixError(path_, "write", errno);
    }
    // Only an odd device returns 0 for a non-empty write; retrying could spin.
    if (n == 0) return Status::Error(path_ + ": write: wrote 0 bytes");
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status PosixWritableFile::Sync() {
  if (::fdatasync(fd_) != 0) return PosixError(path_, "fdatasync", errno);
  return Status::Ok();
}

Status PosixWritableFile::Truncate(uint64_t size) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return PosixError(path_, "truncate", errno);
  if (::fsync(fd_) != 0) return PosixError(path_, "fsync after truncate", errno);
  return Status::Ok();
}

Status PosixWritableFile::Close() {
  if (fd_ < 0) return Status::Ok();
  const int fd = fd_;
  fd_ = -1;
  // Linux releases the descriptor even when close fails, so no retry on EINTR.
  if (::close(fd) != 0) return PosixError(path_, "close", errno);
  return Status::Ok();
}

Status PosixSequentialFile::Open(const std::string& path,
                                 std::unique_ptr<PosixSequentialFile>* file) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return PosixError(path, "open for reading", errno);
  *file = std::make_unique<PosixSequentialFile>(fd, path);
  return Status::Ok();
}

PosixSequentialFile::PosixSequentialFile(int fd, std::string path)
    : fd_(fd), path_(std::move(path)) {}

PosixSequentialFile::~PosixSequentialFile() { ::close(fd_); }

Status PosixSequentialFile::Read(std::span<char> buffer, size_t* bytes_read) {
  while (true) {
    const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n >= 0) {
      *bytes_read = static_cast<size_t>(n);
      return Status::Ok();
    }
    if (errno != EINTR) return PosixError(path_, "read", errno);
  }
}

Status StringWritableFile::Append(std::string_view data) {
  contents_.append(data);
  return Status::Ok();
}

Status StringWritableFile::Truncate(uint64_t size) {
  if (size < contents_.size()) contents_.resize(size);
  return Status::Ok();
}

Status StringSequentialFile::Read(std::span<char> buffer, size_t* bytes_read) {
  const size_t n = std::min(buffer.size(), contents_.size());
  std::memcpy(buffer.data(), contents_.data(), n);
  contents_.remove_prefix(n);
  *bytes_read = n;
  return Status::Ok();
}

Status SyncDirectory(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return PosixError(path, "open directory", errno);
  Status status;
  if (::fsync(fd) != 0) status = PosixError(path, "fsync directory", errno);
  ::close(fd);
  return status;
}

}  // namespace atmwatch::wal
