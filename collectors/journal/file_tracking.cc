#include "journal/file_tracking.h"

#include <map>
#include <set>

namespace atmwatch::journal {

std::vector<FileChange> Reconcile(const std::vector<TrackedView>& tracked,
                                  const std::vector<Observation>& seen) {
  std::map<FileKey, const TrackedView*> by_key;
  std::map<std::string, const TrackedView*> by_path;
  for (const TrackedView& file : tracked) {
    by_key[file.key] = &file;
    by_path[file.path] = &file;
  }
  std::vector<FileChange> changes;
  std::set<FileKey> observed;
  for (const Observation& file : seen) {
    observed.insert(file.key);
    const auto known = by_key.find(file.key);
    if (known == by_key.end()) {
      const auto previous = by_path.find(file.path);
      const bool rotation = previous != by_path.end() && previous->second->key != file.key;
      changes.push_back({FileChange::Kind::kNew, file.key, file.path, rotation});
      continue;
    }
    if (known->second->path != file.path) {
      changes.push_back({FileChange::Kind::kMoved, file.key, file.path});
    }
    if (file.size < known->second->offset) {
      changes.push_back({FileChange::Kind::kTruncated, file.key, ""});
    }
  }
  for (const TrackedView& file : tracked) {
    if (!observed.contains(file.key)) {
      changes.push_back({FileChange::Kind::kDetached, file.key, ""});
    }
  }
  return changes;
}

}  // namespace atmwatch::journal
