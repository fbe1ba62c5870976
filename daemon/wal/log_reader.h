#pragma once

// Reads back the records a LogWriter appended to one segment, skipping
// damage.
//
// Lifetime: `*file` and `*reporter` (may be null) must outlive the reader.
// Thread-safety: none. Errors: damage is reported to the Reporter, one call
// per dropped region, and reading goes on past it; a read error stops
// reading and is kept in status().
//
// Damage or torn tail. A crash leaves the last record half-written: a
// header or payload cut off by the end of the file, an unfinished
// fragmented record, or a file extended with zeros or garbage the writer
// never finished. That is the normal end of a log, not corruption: it is
// not reported, and torn_tail() says it happened so the caller can cut the
// file at last_record_end() before appending. The rule that tells the two
// apart: unreadable bytes are a torn tail only when no valid record follows
// them anywhere in the file; unreadable bytes followed by a valid record are
// damage. To see what follows, the reader does not drop the rest of a block
// after a bad record, as leveldb does: it looks for the next offset in the
// block where a whole record with a known type and a matching checksum
// starts, and goes on from there. Reports are held back until such a
// record turns up; those still held at the end of the file are the torn
// tail.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "wal/file.h"

namespace atmwatch::wal {

class LogReader {
 public:
  class Reporter {
   public:
    virtual ~Reporter() = default;

    // `bytes` starting at file `offset` were dropped, and a valid record
    // follows them. Reasons: "checksum mismatch", "bad record length",
    // "unknown record type <n>", "middle fragment without first", "last
    // fragment without first", "partial record without end", "error in
    // middle of record".
    virtual void Corruption(size_t bytes, std::string_view reason, uint64_t offset) = 0;
  };

  // `end_may_be_torn` is false for a file known to have been written whole
  // (a segment that is not the newest): then what is held back at its end
  // is reported as damage too, and torn_tail() only says that the file ends
  // inside a record.
  LogReader(SequentialFile* file, Reporter* reporter, bool end_may_be_torn = true);
  LogReader(const LogReader&) = delete;
  LogReader& operator=(const LogReader&) = delete;

  // Sets *record and the file offset of its first header, or returns false at
  // the end of the log or on a read error.
  bool ReadRecord(std::string* record, uint64_t* offset);

  // The rest is meaningful once ReadRecord has returned false.

  // Not ok when reading stopped on an I/O error; the tail is then unknown
  // and the file must not be cut.
  const Status& status() const { return status_; }

  // True when the file ends in bytes, other than a block trailer, that no
  // valid record follows: the torn tail, torn_tail_bytes() long.
  bool torn_tail() const { return torn_tail_; }
  uint64_t torn_tail_bytes() const { return torn_tail_bytes_; }

  // The offset just past the last record read (0 if none): where to cut.
  uint64_t last_record_end() const { return last_record_end_; }

 private:
  // ReadPhysicalRecord's results besides the record types (0..255).
  static constexpr int kEof = 256;
  static constexpr int kBadRecord = 257;

  struct HeldReport {
    size_t bytes;
    std::string reason;
    uint64_t offset;
  };

  int ReadPhysicalRecord(std::string_view* fragment);
  bool FillBuffer();
  uint64_t BufferOffset() const { return end_of_buffer_offset_ - buffer_.size(); }
  // Damage a valid record follows (held-back reports went first).
  void Report(size_t bytes, std::string_view reason, uint64_t offset);
  // Damage nothing valid is known to follow yet.
  void HoldBack(size_t bytes, std::string_view reason, uint64_t offset);
  // A valid record starts at `offset`: what was held back is damage.
  void ReportHeldBack(uint64_t offset);

  SequentialFile* file_;
  Reporter* reporter_;
  bool end_may_be_torn_;
  std::string backing_store_;
  // The unread part of the current block.
  std::string_view buffer_;
  bool eof_ = false;
  uint64_t end_of_buffer_offset_ = 0;
  uint64_t fragment_offset_ = 0;
  uint64_t last_record_end_ = 0;
  // Where the bytes begin that neither a record read nor reported damage
  // accounts for; at the end of the file, the start of any torn tail.
  uint64_t tail_start_ = 0;
  std::vector<HeldReport> held_;
  bool torn_tail_ = false;
  uint64_t torn_tail_bytes_ = 0;
  Status status_;
};

}  // namespace atmwatch::wal
