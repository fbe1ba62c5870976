#pragma once

// The WAL as a directory of segment files, wal-<first index, 20 digits>.log,
// each one log in the format of wal_format.h. The caller numbers records
// with an increasing index (the batch sequence); a segment is named after
// the index of its first record, so a segment holds the indexes from its
// own up to the next segment's.
//
// Use: Open, replay segments() with a LogReader each, StartAppending with
// where the newest one's last record ends, then groups of Append ended by
// Commit, and DeleteBelow once a snapshot covers a prefix of the indexes.
//
// Thread-safety: none. Errors: every failure is a Status naming the file and
// the errno text. Once a write, sync or segment creation has failed, what
// the log holds after the last Commit is unknown, and every later
// Append/Commit returns that error again until Rollback succeeds. The
// directory is fsynced after each segment create and delete.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "wal/file.h"
#include "wal/log_writer.h"

namespace atmwatch::wal {

struct Segment {
  uint64_t first_index = 0;
  std::string path;
};

struct SegmentDirOptions {
  // A segment at least this big gets no more records; the next goes to a
  // new segment, so a segment exceeds this by at most one record.
  uint64_t max_segment_bytes = uint64_t{64} << 20;
  // Wraps each segment file opened for writing. Unset in the daemon; tests
  // use it to make writes, syncs and truncations fail (wal/faulty_file.h).
  std::function<std::unique_ptr<WritableFile>(std::unique_ptr<WritableFile>)> wrap_file;
};

class SegmentDir {
 public:
  // Opens `dir`, creating it if missing, and lists its segments. Opens no
  // segment for writing.
  static Status Open(const std::string& dir, const SegmentDirOptions& options,
                     std::unique_ptr<SegmentDir>* out);
  ~SegmentDir();
  SegmentDir(const SegmentDir&) = delete;
  SegmentDir& operator=(const SegmentDir&) = delete;

  // Oldest first. Other files in the directory are ignored.
  const std::vector<Segment>& segments() const { return segments_; }

  // Opens the newest segment for appending after cutting it to
  // `newest_record_end` (LogReader::last_record_end() of its replay), which
  // removes a torn tail. Ignored when there is no segment yet. This is the
  // first point Rollback returns to.
  Status StartAppending(uint64_t newest_record_end);

  // Appends the record numbered `index`, which must not be below the newest
  // segment's first index. Starts a new segment, named after `index`, when
  // there is none or the newest is full; `index` must then be above it. A
  // refused index changes nothing and does not stick.
  Status Append(uint64_t index, std::string_view record);

  // Ends a group of appends: makes them durable when `sync` (fdatasync), and
  // in either case makes the end of the log the point Rollback returns to.
  // Costs no system call when !sync.
  Status Commit(bool sync);

  // After a failed Append or Commit: removes everything appended since the
  // last Commit. Deletes the segments started since, cuts the newest
  // remaining one to its committed length and fsyncs it, reads it back to
  // check that its last record ends exactly there, and reopens it for
  // appending. Nothing is trusted from the failed writes, not even a sync
  // that would now succeed. On failure the log stays refused and Rollback
  // may be called again; with nothing appended since the last Commit it
  // does nothing.
  Status Rollback();

  // Deletes the segments that hold only indexes below `index`. The newest
  // committed segment always stays.
  Status DeleteBelow(uint64_t index);

  static std::string SegmentFileName(uint64_t first_index);
  static bool ParseSegmentFileName(std::string_view name, uint64_t* first_index);

 private:
  SegmentDir(std::string dir, const SegmentDirOptions& options, int dir_fd,
             std::vector<Segment> segments);

  // Opens `path` for appending (creating it when `create`), wrapped as the
  // options say; *size is its length.
  Status OpenForAppend(const std::string& path, bool create, std::unique_ptr<WritableFile>* file,
                       uint64_t* size);
  Status StartSegment(uint64_t first_index);
  Status CutNewestToCommitted();
  // Reads the segment at `path` back: ok when it ends in a whole record at
  // committed_bytes_.
  Status CheckEndsAtCommitted(const std::string& path) const;
  Status SyncDir();
  Status Fail(Status status);

  std::string dir_;
  SegmentDirOptions options_;
  int dir_fd_;
  std::vector<Segment> segments_;
  bool appending_ = false;
  // The newest segment, once appending.
  std::unique_ptr<WritableFile> file_;
  std::unique_ptr<LogWriter> writer_;
  // Where Rollback returns to: how many segments there were at the last
  // Commit, and the newest one's length then.
  size_t committed_segments_ = 0;
  uint64_t committed_bytes_ = 0;
  // Something was appended, or failed, since the last Commit.
  bool uncommitted_ = false;
  Status error_;
};

}  // namespace atmwatch::wal
