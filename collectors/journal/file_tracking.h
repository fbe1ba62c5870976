#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "journal/journal_state.h"

// How the files matching the glob changed since the last poll, decided from
// (device, inode) and path alone, so rotation and truncation are tested
// without a file system. Pure.
namespace atmwatch::journal {

// A regular file the glob matched, as stat(2) saw it.
struct Observation {
  std::string path;
  FileKey key;
  std::uint64_t size = 0;
};

// A file being followed: where it was last seen and how far it is read.
struct TrackedView {
  FileKey key;
  std::string path;
  std::uint64_t offset = 0;
};

struct FileChange {
  enum class Kind {
    kNew,        // an inode not followed yet: read it from the start
    kMoved,      // a followed inode now under another matching path (or back in the glob)
    kTruncated,  // shorter than what was read: read it again from 0
    kDetached,   // no longer under any matching path: finish it through the open fd
  };
  Kind kind;
  FileKey key;
  std::string path;       // kNew, kMoved: the path it is now at
  bool rotation = false;  // kNew: it took the path of another followed inode
  auto operator<=>(const FileChange&) const = default;
};

// Changes in a stable order: per observation (in the order given), then the
// detached files (in the order of `tracked`).
std::vector<FileChange> Reconcile(const std::vector<TrackedView>& tracked,
                                  const std::vector<Observation>& seen);

}  // namespace atmwatch::journal
