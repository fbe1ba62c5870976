#include "journal/state_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace atmwatch::journal {
namespace {

Status Errno(const std::string& what, const std::string& path) {
  return Status::Error(what + " " + path + ": " + std::strerror(errno));
}

Status WriteAll(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("cannot write", path);
    done += static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

Status SyncDirectory(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open directory", dir.string());
  const int rc = fsync(fd);
  close(fd);
  return rc == 0 ? Status::Ok() : Errno("cannot fsync directory", dir.string());
}

}  // namespace

Status WriteStateFile(const std::string& path, const JournalState& state) {
  const std::string temp = path + ".tmp";
  const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", temp);
  Status status = WriteAll(fd, SerializeState(state), temp);
  if (status.ok() && fsync(fd) != 0) status = Errno("cannot fsync", temp);
  close(fd);
  if (status.ok() && rename(temp.c_str(), path.c_str()) != 0) {
    status = Errno("cannot rename " + temp + " to", path);
  }
  if (status.ok()) status = SyncDirectory(path);
  return status;
}

Status ReadStateFile(const std::string& path, JournalState* state, bool* exists) {
  *exists = false;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? Status::Ok() : Errno("cannot open the state file", path);
  *exists = true;
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const Status status = Errno("cannot read the state file", path);
      close(fd);
      return status;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  Result<JournalState, std::string> parsed = ParseState(text);
  if (!parsed.ok()) {
    return Status::Error(path + ": " + parsed.error() +
                         "; restore it, or delete it to read every journal from the start again");
  }
  *state = std::move(parsed).value();
  return Status::Ok();
}

}  // namespace atmwatch::journal
