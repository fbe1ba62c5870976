#include "durability/data_dir_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

namespace atmwatch::durability {
namespace {

std::string LockPath(const std::string& data_dir) { return data_dir + "/LOCK"; }

// "atmwatchd (PID 1234)" from what the holder wrote: "<pid>\n<program>\n".
std::string HolderOf(int fd) {
  char buffer[256];
  const ssize_t n = pread(fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0) return "another process";
  const std::string_view text(buffer, static_cast<std::size_t>(n));
  const auto first = text.find('\n');
  const std::string_view pid = text.substr(0, first);
  if (pid.empty() || pid.find_first_not_of("0123456789") != std::string_view::npos) {
    return "another process";
  }
  std::string_view program;
  if (first != std::string_view::npos) {
    program = text.substr(first + 1);
    program = program.substr(0, program.find('\n'));
  }
  if (program.empty()) return fmt::format("PID {}", pid);
  return fmt::format("{} (PID {})", program, pid);
}

Status Refusal(const std::string& data_dir, int fd) {
  // Readers write nothing: when only shared locks are held, the PID in the
  // file is an old writer's, so it is not named.
  const int probe = open(LockPath(data_dir).c_str(), O_RDONLY | O_CLOEXEC);
  const bool only_readers = probe >= 0 && flock(probe, LOCK_SH | LOCK_NB) == 0;
  if (probe >= 0) close(probe);
  if (only_readers) {
    return Status::Error(fmt::format(
        "{} is being read by `atmwatch wal` (a shared lock on {}); try again when it is done",
        data_dir, LockPath(data_dir)));
  }
  return Status::Error(fmt::format("{} is in use: {} holds {}; stop it first", data_dir,
                                   HolderOf(fd), LockPath(data_dir)));
}

Status WriteHolder(int fd, const std::string& path, const std::string& program) {
  const std::string text = fmt::format("{}\n{}\n", getpid(), program);
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    return Status::Error(fmt::format("{}: write: {}", path, std::strerror(errno)));
  }
  return Status::Ok();
}

}  // namespace

Status DataDirLock::Acquire(const std::string& data_dir, Mode mode, const std::string& program,
                            DataDirLock* out) {
  const std::string path = LockPath(data_dir);
  const bool exclusive = mode == Mode::kExclusive;
  const int fd = exclusive ? open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)
                           : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (!exclusive && errno == ENOENT) return Status::Ok();
    return Status::Error(fmt::format("{}: open: {}", path, std::strerror(errno)));
  }
  if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
    const int error = errno;
    Status status = error == EWOULDBLOCK
                        ? Refusal(data_dir, fd)
                        : Status::Error(fmt::format("{}: flock: {}", path, std::strerror(error)));
    close(fd);
    return status;
  }
  if (exclusive) {
    if (Status status = WriteHolder(fd, path, program); !status.ok()) {
      close(fd);
      return status;
    }
  }
  DataDirLock lock;
  lock.fd_ = fd;
  *out = std::move(lock);
  return Status::Ok();
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) close(fd_);
}

DataDirLock::DataDirLock(DataDirLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

DataDirLock& DataDirLock::operator=(DataDirLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

}  // namespace atmwatch::durability
