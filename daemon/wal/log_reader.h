#pragma once

// Reads back the records a LogWriter appended to one segment, skipping
// damage.
//
// Lifetime: `*file` and `*reporter` (may be null) must outlive the reader.
// Thread-safety: none. Errors: damage is reported to the Reporter, one call
// per dropped region, and reading goes on past it; a read error stops
// reading and is kept in status().
//
// A crash leaves the last record half-written. That is the normal end of a
// log, not corruption: it is not reported, and torn_tail() says it happened
// so the caller can cut the file at last_record_end() before appending.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "wal/file.h"

namespace atmwatch::wal {

class LogReader {
 public:
  class Reporter {
   public:
    virtual ~Reporter() = default;

    // `bytes` starting at file `offset` were dropped. Reasons: "checksum
    // mismatch", "bad record length", "unknown record type <n>", "middle
    // fragment without first", "last fragment without first", "partial
    // record without end", "error in middle of record".
    virtual void Corruption(size_t bytes, std::string_view reason, uint64_t offset) = 0;
  };

  LogReader(SequentialFile* file, Reporter* reporter);
  LogReader(const LogReader&) = delete;
  LogReader& operator=(const LogReader&) = delete;

  // Sets *record and the file offset of its first header, or returns false at
  // the end of the log or on a read error.
  bool ReadRecord(std::string* record, uint64_t* offset);

  // The rest is meaningful once ReadRecord has returned false.

  // Not ok when reading stopped on an I/O error; the tail is then unknown
  // and the file must not be cut.
  const Status& status() const { return status_; }

  // True when bytes other than a block trailer follow the last record read.
  bool torn_tail() const { return torn_tail_; }

  // The offset just past the last record read (0 if none).
  uint64_t last_record_end() const { return last_record_end_; }

 private:
  // ReadPhysicalRecord's results besides the record types (0..255).
  static constexpr int kEof = 256;
  static constexpr int kBadRecord = 257;

  int ReadPhysicalRecord(std::string_view* fragment);
  bool FillBuffer();
  uint64_t BufferOffset() const { return end_of_buffer_offset_ - buffer_.size(); }
  void Report(size_t bytes, std::string_view reason, uint64_t offset);

  SequentialFile* file_;
  Reporter* reporter_;
  std::string backing_store_;
  // The unread part of the current block.
  std::string_view buffer_;
  bool eof_ = false;
  uint64_t end_of_buffer_offset_ = 0;
  uint64_t fragment_offset_ = 0;
  uint64_t last_record_end_ = 0;
  bool torn_tail_ = false;
  Status status_;
};

}  // namespace atmwatch::wal
