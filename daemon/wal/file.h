#pragma once

// The byte sinks and sources under the log: POSIX files for the daemon,
// strings for tests. None is thread-safe; each is used by one owner.
// Failures come back as Status values whose message names the file and the
// errno text; nothing here throws.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace atmwatch::wal {

class WritableFile {
 public:
  virtual ~WritableFile() = default;

  // Appends all of `data`, or fails; after a failure some prefix of `data`
  // may have reached the file.
  virtual Status Append(std::string_view data) = 0;

  // Returns once everything appended so far is durable. After a failure,
  // what reached the disk is unknown, and a later Sync that succeeds does
  // not make it known: the pages may have been dropped (the lesson of
  // PostgreSQL's fsync handling). Cut the file back instead.
  virtual Status Sync() = 0;

  // Cuts the file to its first `size` bytes and makes the new length
  // durable; appending continues at the new end.
  virtual Status Truncate(uint64_t size) = 0;

  // Closes now rather than in the destructor, so a close error is seen.
  virtual Status Close() = 0;
};

class SequentialFile {
 public:
  virtual ~SequentialFile() = default;

  // Reads up to buffer.size() bytes; *bytes_read == 0 means end of file.
  virtual Status Read(std::span<char> buffer, size_t* bytes_read) = 0;
};

// Appends with write(2), retrying short writes and EINTR; Sync is fdatasync.
class PosixWritableFile final : public WritableFile {
 public:
  // Takes ownership of `fd`, which should be open with O_APPEND. `path` only
  // names the file in error messages.
  PosixWritableFile(int fd, std::string path);
  ~PosixWritableFile() override;
  PosixWritableFile(const PosixWritableFile&) = delete;
  PosixWritableFile& operator=(const PosixWritableFile&) = delete;

  Status Append(std::string_view data) override;
  Status Sync() override;
  // ftruncate, then fsync (not fdatasync: the length is metadata).
  Status Truncate(uint64_t size) override;
  Status Close() override;

 private:
  int fd_;
  std::string path_;
};

class PosixSequentialFile final : public SequentialFile {
 public:
  static Status Open(const std::string& path, std::unique_ptr<PosixSequentialFile>* file);

  // Takes ownership of `fd`; `path` only names the file in error messages.
  PosixSequentialFile(int fd, std::string path);
  ~PosixSequentialFile() override;
  PosixSequentialFile(const PosixSequentialFile&) = delete;
  PosixSequentialFile& operator=(const PosixSequentialFile&) = delete;

  Status Read(std::span<char> buffer, size_t* bytes_read) override;

 private:
  int fd_;
  std::string path_;
};

// Keeps appended bytes in memory, for tests and tools.
class StringWritableFile final : public WritableFile {
 public:
  Status Append(std::string_view data) override;
  Status Sync() override { return Status::Ok(); }
  Status Truncate(uint64_t size) override;
  Status Close() override { return Status::Ok(); }

  std::string& contents() { return contents_; }

 private:
  std::string contents_;
};

// Reads from `contents`, which must outlive this object.
class StringSequentialFile final : public SequentialFile {
 public:
  explicit StringSequentialFile(std::string_view contents) : contents_(contents) {}

  Status Read(std::span<char> buffer, size_t* bytes_read) override;

 private:
  std::string_view contents_;
};

// "<path>: <what>: <strerror text> (errno <n>)".
Status PosixError(std::string_view path, std::string_view what, int error_number);

// fsyncs a directory, so that files created, renamed or deleted in it stay so
// after a power loss.
Status SyncDirectory(const std::string& path);

}  // namespace atmwatch::wal
