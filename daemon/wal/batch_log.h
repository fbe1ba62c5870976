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
  std::uint64_t corrupt_bytes = 0;    // dropped in the middle of segments
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

// The daemon's write-ahead log: a SegmentDir whose records each carry their
// log sequence number (LSN, 8 bytes little-endian) before the payload, so a
// record keeps its number even when damage around it is skipped.
//
// Use: Open → Replay (once) → Append/Sync; after an I/O error, Reopen.
// Thread-safety: none; GroupCommit serialises its writer thread and the
// snapshots' DropCoveredBy.
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

  // Appends a record numbered last_lsn() + 1; durable only after Sync.
  Status Append(std::string_view payload);
  Status Sync();

  // After a failed Append or Sync: reopens the directory and cuts the newest
  // segment after its last whole record. Records appended but not synced may
  // survive; their LSNs are never reused.
  Status Reopen();

  // Drops segments holding only records at or below lsn (covered by a snapshot).
  Status DropCoveredBy(std::uint64_t lsn);

  // Bytes the filesystem holding the log can still take (for unprivileged
  // writers), or an error naming the directory.
  Status FreeBytes(std::uint64_t* bytes) const;

  const std::string& dir() const { return dir_; }
  std::uint64_t last_lsn() const { return last_lsn_; }
  // At least this many: a snapshot may cover records whose segments are gone.
  void set_last_lsn_at_least(std::uint64_t lsn) { last_lsn_ = std::max(last_lsn_, lsn); }
  std::size_t segment_count() const { return segments_->segments().size(); }
  // The LSN the oldest segment starts at (its name), 0 without segments:
  // no record below it can be in the log.
  std::uint64_t first_segment_lsn() const {
    return segments_->segments().empty() ? 0 : segments_->segments().front().first_index;
  }

 private:
  BatchLog(std::string dir, SegmentDirOptions options, std::unique_ptr<SegmentDir> segments)
      : dir_(std::move(dir)), options_(options), segments_(std::move(segments)) {}

  std::string dir_;
  SegmentDirOptions options_;
  std::unique_ptr<SegmentDir> segments_;
  std::uint64_t last_lsn_ = 0;
  std::string buffer_;
};

}  // namespace atmwatch::wal
