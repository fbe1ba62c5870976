#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "wal/segment_dir.h"

namespace atmwatch::wal {

// What replaying the log found, for the start-up log line and /metrics.
struct ReplayReport {
  std::uint64_t records = 0;  // records read (applied or skipped as covered)
  std::uint64_t segments = 0;
  std::uint64_t corrupt_bytes = 0;    // dropped with valid records after them
  std::uint64_t torn_tail_bytes = 0;  // cut off the end of the newest segment
  std::vector<std::string> damage;    // "wal-….log:OFFSET: reason (N bytes)"
  // Damage in records that are all at or below after_lsn: whatever it held,
  // the snapshot already has, so it is neither counted in corrupt_bytes nor
  // refused with strict.
  std::vector<std::string> covered_damage;
};

// A BatchLog record as stored: the LSN (8 bytes, little-endian), then the
// payload. False when the record is too short to hold an LSN.
bool SplitBatchLogRecord(std::string_view record, std::uint64_t* lsn, std::string_view* payload);

// A record with an empty payload is a probe: after a write error, the log's
// writer appends one to prove that the disk takes writes again. It has an
// LSN like any record and carries no batch; replay and the tools skip it.
inline bool IsProbeRecord(std::string_view payload) { return payload.empty(); }

// The daemon's write-ahead log: a SegmentDir whose records each carry their
// log sequence number (LSN, 8 bytes little-endian) before the payload, so a
// record keeps its number even when damage around it is skipped.
//
// Use: Open → Replay (once) → groups of Append, each ended by Commit; after
// a failed Append or Commit, Rollback before appending again.
// Thread-safety: none; GroupCommit serialises its writer thread and the
// snapshots' DropCoveredBy.
//
// LSNs: a write error leaves no gap in the numbering. Rollback removes the
// failed group's records and gives their LSNs to the next records, which is
// safe because nothing of that group can be replayed once it has succeeded.
class BatchLog {
 public:
  static Status Open(const std::string& dir, const SegmentDirOptions& options,
                     std::unique_ptr<BatchLog>* out);

  // Calls apply for every readable record with an LSN above after_lsn, in
  // log order, then readies the log for appending: a torn tail is cut off.
  // Damage in the middle of a segment is reported and skipped, or, with
  // strict, makes Replay fail naming the file and offset, unless every
  // record it can have held is at or below after_lsn (covered_damage).
  // Nothing is cut before the last segment is read, so a Replay left early
  // (an exception out of apply) leaves the log as it was.
  Status Replay(std::uint64_t after_lsn, bool strict,
                const std::function<void(std::uint64_t lsn, std::string_view payload)>& apply,
                ReplayReport* report);

  // Appends a record numbered last_lsn() + 1; kept only once a Commit
  // after it succeeds.
  Status Append(std::string_view payload);

  // Ends a group: fsyncs it when `sync`, and either way makes it part of
  // what a later Rollback keeps. Acknowledge the group only after this.
  Status Commit(bool sync);

  // After a failed Append or Commit: removes every record appended since
  // the last successful Commit from the files, proves it (the newest
  // segment is cut, fsynced and read back), and numbers the next record
  // after the last committed one. Until it succeeds, Append and Commit keep
  // failing; call it again later. See SegmentDir::Rollback.
  Status Rollback();

  // Drops segments holding only records at or below lsn (covered by a snapshot).
  Status DropCoveredBy(std::uint64_t lsn);

  // Bytes the filesystem holding the log can still take (for unprivileged
  // writers), or an error naming the directory.
  Status FreeBytes(std::uint64_t* bytes) const;

  const std::string& dir() const { return dir_; }
  std::uint64_t last_lsn() const { return last_lsn_; }
  // At least this many: a snapshot may cover records whose segments are gone.
  void set_last_lsn_at_least(std::uint64_t lsn) {
    last_lsn_ = std::max(last_lsn_, lsn);
    committed_lsn_ = std::max(committed_lsn_, lsn);
  }
  std::size_t segment_count() const { return segments_->segments().size(); }
  // The LSN the oldest segment starts at (its name), 0 without segments:
  // no record below it can be in the log.
  std::uint64_t first_segment_lsn() const {
    return segments_->segments().empty() ? 0 : segments_->segments().front().first_index;
  }

 private:
  BatchLog(std::string dir, std::unique_ptr<SegmentDir> segments)
      : dir_(std::move(dir)), segments_(std::move(segments)) {}

  std::string dir_;
  std::unique_ptr<SegmentDir> segments_;
  std::uint64_t last_lsn_ = 0;
  // last_lsn_ at the last successful Commit (or Replay): where Rollback
  // takes the numbering back to.
  std::uint64_t committed_lsn_ = 0;
  std::string buffer_;
};

}  // namespace atmwatch::wal
