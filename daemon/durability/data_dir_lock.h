#pragma once

// The lock that keeps a data directory to one user at a time: <dir>/LOCK,
// held with flock(2) for as long as the DataDirLock lives, like leveldb's
// LOCK file. Two writers on one directory would each cut what the other
// appends as "a torn write" and drop segments the other still needs.
//
// - Exclusive (atmwatchd, and `atmwatch report --data-dir`, which recovers
//   the directory and may cut a torn tail): the holder writes its PID and
//   program name into LOCK, like PostgreSQL's postmaster.pid, so a refusal
//   names who holds the directory. The file is never deleted; a stale PID in
//   it means nothing once its process is gone, as the lock goes with it.
// - Shared (`atmwatch wal verify|dump`, which only read): several readers at
//   once, none while a writer holds the directory. A missing LOCK means no
//   atmwatchd has the directory (it creates LOCK before touching anything),
//   so a reader then goes ahead without creating one.
//
// flock rather than fcntl locks: an flock belongs to the open file, so a
// second lock in the same process conflicts too, and closing some other
// descriptor of the file does not drop it.

#include <string>

#include "common/status.h"

namespace atmwatch::durability {

class DataDirLock {
 public:
  enum class Mode { kExclusive, kShared };

  // Takes the lock without waiting. The error names the directory and, when
  // a writer holds it, its program and PID; `program` is what this process
  // writes into LOCK with an exclusive lock.
  static Status Acquire(const std::string& data_dir, Mode mode, const std::string& program,
                        DataDirLock* out);

  DataDirLock() = default;
  ~DataDirLock();
  DataDirLock(DataDirLock&& other) noexcept;
  DataDirLock& operator=(DataDirLock&& other) noexcept;
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace atmwatch::durability
