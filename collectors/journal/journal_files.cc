#include "journal/journal_files.h"

#include <fcntl.h>
#include <glob.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "journal/file_tracking.h"
#include "journal/line_reader.h"

namespace atmwatch::journal {
namespace {

FileKey KeyOf(const struct stat& st) {
  return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

std::vector<Observation> Observe(const std::string& pattern) {
  std::vector<Observation> seen;
  glob_t matches{};
  if (glob(pattern.c_str(), 0, nullptr, &matches) == 0) {
    for (std::size_t i = 0; i < matches.gl_pathc; ++i) {
      struct stat st {};
      if (stat(matches.gl_pathv[i], &st) != 0 || !S_ISREG(st.st_mode)) continue;
      seen.push_back({matches.gl_pathv[i], KeyOf(st), static_cast<std::uint64_t>(st.st_size)});
    }
  }
  globfree(&matches);
  return seen;
}

// A renamed file is looked for beside its old name, where logrotate and
// most writers put it.
std::optional<std::string> FindInDirectory(const std::string& old_path, const FileKey& key) {
  std::error_code error;
  const std::filesystem::path dir = std::filesystem::path(old_path).parent_path();
  for (const auto& entry :
       std::filesystem::directory_iterator(dir.empty() ? std::filesystem::path(".") : dir, error)) {
    struct stat st {};
    if (stat(entry.path().c_str(), &st) == 0 && S_ISREG(st.st_mode) && KeyOf(st) == key) {
      return entry.path().string();
    }
  }
  return std::nullopt;
}

void ResetToStart(JournalFile* file) {
  file->progress.offset = 0;
  file->progress.lines = 0;
  file->header.reset();
  file->header_error.clear();
  file->header_read = false;
}

}  // namespace

JournalFiles::JournalFiles(std::string pattern) : pattern_(std::move(pattern)) {}

JournalFiles::~JournalFiles() {
  for (auto& [key, file] : files_) close(file.fd);
}

bool JournalFiles::Open(const std::string& path, const FileKey& expected, JournalFile* file) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  if (fstat(fd, &st) != 0 || KeyOf(st) != expected) {  // replaced between stat and open
    close(fd);
    return false;
  }
  file->fd = fd;
  file->size = static_cast<std::uint64_t>(st.st_size);
  file->progress.key = expected;
  file->progress.path = path;
  return true;
}

std::vector<std::string> JournalFiles::Restore(const std::vector<FileProgress>& saved) {
  std::vector<std::string> missing;
  for (const FileProgress& progress : saved) {
    struct stat st {};
    std::optional<std::string> path;
    if (stat(progress.path.c_str(), &st) == 0 && KeyOf(st) == progress.key) {
      path = progress.path;
    } else {
      path = FindInDirectory(progress.path, progress.key);
    }
    JournalFile file;
    file.progress = progress;
    if (!path || !Open(*path, progress.key, &file)) {
      missing.push_back(progress.path + " (inode " + std::to_string(progress.key.inode) +
                        ", acknowledged up to byte " + std::to_string(progress.offset) + ")");
      continue;
    }
    files_.emplace(progress.key, std::move(file));
  }
  return missing;
}

ScanCounts JournalFiles::Scan() {
  ScanCounts counts;
  std::vector<TrackedView> tracked;
  for (const auto& [key, file] : files_) {
    tracked.push_back({key, file.progress.path, file.progress.offset});
  }
  const auto now = std::chrono::steady_clock::now();
  for (const FileChange& change : Reconcile(tracked, Observe(pattern_))) {
    switch (change.kind) {
      case FileChange::Kind::kNew: {
        JournalFile file;
        if (!Open(change.path, change.key, &file)) break;  // gone again; next scan decides
        if (change.rotation) {
          ++counts.rotations;
          spdlog::info("journal: {} was rotated; finishing the old file before the new one",
                       change.path);
        } else {
          spdlog::info("journal: following {}", change.path);
        }
        files_.emplace(change.key, std::move(file));
        break;
      }
      case FileChange::Kind::kMoved: {
        JournalFile& file = files_.at(change.key);
        spdlog::info("journal: {} is now {}", file.progress.path, change.path);
        file.progress.path = change.path;
        file.detached = false;
        break;
      }
      case FileChange::Kind::kTruncated: {
        JournalFile& file = files_.at(change.key);
        ++counts.truncations;
        spdlog::warn("journal: {} was truncated below byte {}; reading it again from the start",
                     file.progress.path, file.progress.offset);
        ResetToStart(&file);
        break;
      }
      case FileChange::Kind::kDetached: {
        JournalFile& file = files_.at(change.key);
        if (!file.detached) {
          file.detached = true;
          file.detached_at = now;
        }
        break;
      }
    }
  }
  for (auto& [key, file] : files_) {
    struct stat st {};
    if (fstat(file.fd, &st) != 0) continue;
    file.size = static_cast<std::uint64_t>(st.st_size);
    if (file.detached && file.size < file.progress.offset) {  // truncated after the rename
      ++counts.truncations;
      ResetToStart(&file);
    }
  }
  return counts;
}

void JournalFiles::DropFinished(std::chrono::steady_clock::duration grace) {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = files_.begin(); it != files_.end();) {
    JournalFile& file = it->second;
    if (!file.detached || file.progress.offset < file.size || now - file.detached_at < grace) {
      ++it;
      continue;
    }
    spdlog::info("journal: finished {} (inode {}) after {} lines; no longer followed",
                 file.progress.path, file.progress.key.inode, file.progress.lines);
    close(file.fd);
    it = files_.erase(it);
  }
}

std::vector<JournalFile*> JournalFiles::ReadOrder() {
  std::vector<JournalFile*> order;
  for (auto& [key, file] : files_) order.push_back(&file);
  std::stable_sort(order.begin(), order.end(), [](const JournalFile* a, const JournalFile* b) {
    if (a->detached != b->detached) return a->detached;
    if (a->detached) return a->detached_at < b->detached_at;
    return a->progress.path < b->progress.path;
  });
  return order;
}

JournalFile* JournalFiles::Find(const FileKey& key) {
  const auto found = files_.find(key);
  return found == files_.end() ? nullptr : &found->second;
}

std::vector<FileProgress> JournalFiles::Progress() const {
  std::vector<FileProgress> progress;
  for (const auto& [key, file] : files_) progress.push_back(file.progress);
  return progress;
}

std::uint64_t JournalFiles::BytesBehind() const {
  std::uint64_t behind = 0;
  for (const auto& [key, file] : files_) {
    if (file.size > file.progress.offset) behind += file.size - file.progress.offset;
  }
  return behind;
}

void AcceptHeaderLine(JournalFile* file, std::string_view line, bool too_long) {
  file->header_read = true;
  Result<Header, std::string> header =
      too_long ? Result<Header, std::string>(std::string("the header line is too long"))
               : ParseHeader(line);
  if (header.ok()) {
    file->header = *header;
  } else {
    file->header_error = header.error();
  }
}

Status LoadHeader(JournalFile* file) {
  std::uint64_t end = 0;
  LineLimits limits;
  limits.max_lines = 1;
  return ReadCompleteLines(
      file->fd, 0, limits,
      [file](std::string_view line, bool too_long) { AcceptHeaderLine(file, line, too_long); },
      &end);
}

}  // namespace atmwatch::journal
