#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "journal/journal_line.h"
#include "journal/journal_state.h"

// The journal files being followed, each held open by its fd so a rotated
// (renamed or deleted) inode can still be read to its end. Scan() re-globs
// and applies Reconcile(); files are read by the caller through fd().
//
// Owns the fds. Not thread-safe: one poll loop drives it.
namespace atmwatch::journal {

struct JournalFile {
  FileProgress progress;  // acknowledged offset and line count
  int fd = -1;
  std::uint64_t size = 0;  // at the last Scan
  bool detached = false;   // no longer under a matching path
  std::chrono::steady_clock::time_point detached_at;
  // Known once the first line of the file was read; a header that does not
  // parse leaves header empty and header_error set.
  std::optional<Header> header;
  std::string header_error;
  bool header_read = false;
};

// Takes the file's first line (the header) into file->header/header_error.
void AcceptHeaderLine(JournalFile* file, std::string_view line, bool too_long);

// Reads the first line of the file into its header fields; for a file
// resumed past its header.
Status LoadHeader(JournalFile* file);

struct ScanCounts {
  int rotations = 0;
  int truncations = 0;
};

class JournalFiles {
 public:
  explicit JournalFiles(std::string pattern);
  ~JournalFiles();
  JournalFiles(const JournalFiles&) = delete;
  JournalFiles& operator=(const JournalFiles&) = delete;

  // Reopens the files of a saved state: at their path, or (renamed by a
  // rotation while the collector was down) under another name in the same
  // directory. Files found nowhere are returned as errors, one per file.
  std::vector<std::string> Restore(const std::vector<FileProgress>& files);

  // Globs, stats and applies the changes; a glob that matches nothing is fine.
  ScanCounts Scan();

  // Forgets detached files read to their end at least `grace` ago (a writer
  // may append a little after a rename).
  void DropFinished(std::chrono::steady_clock::duration grace);

  // Detached files first (so a rotated inode is finished before its
  // successor), then by path.
  std::vector<JournalFile*> ReadOrder();
  JournalFile* Find(const FileKey& key);
  std::vector<FileProgress> Progress() const;
  std::uint64_t BytesBehind() const;
  std::size_t size() const { return files_.size(); }

 private:
  bool Open(const std::string& path, const FileKey& expected, JournalFile* file);

  std::string pattern_;
  std::map<FileKey, JournalFile> files_;
};

}  // namespace atmwatch::journal
