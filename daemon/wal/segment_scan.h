#pragma once

// One segment read as BatchLog records. The daemon's replay and `atmwatch
// wal verify|dump` both read the log through this, so they cannot disagree
// about what is a record, what is damage and what is a torn tail.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atmwatch::wal {

struct SegmentDamage {
  std::uint64_t offset = 0;
  std::uint64_t bytes = 0;
  std::string reason;
  // The LSN of the first record read after the damage: what was lost is
  // numbered below it. None when no record follows in the segment.
  std::optional<std::uint64_t> next_lsn;
};

struct SegmentScan {
  // Not ok when the file could not be opened or read; the rest is then
  // incomplete, and the file must not be cut.
  Status status;
  // Dropped bytes that a valid record follows (LogReader's rule), records
  // too short for an LSN, and the torn end of a segment that is not the
  // newest: its writer synced it whole before starting the next one.
  std::vector<SegmentDamage> damage;
  std::uint64_t last_record_end = 0;
  // The newest segment's torn tail, to be cut at last_record_end.
  std::uint64_t torn_tail_bytes = 0;
};

// Calls on_record for every readable record of the segment at `path`, in
// file order, with its LSN, payload (valid during the call) and offset.
SegmentScan ScanSegment(const std::string& path, bool newest,
                        const std::function<void(std::uint64_t lsn, std::string_view payload,
                                                 std::uint64_t offset)>& on_record);

}  // namespace atmwatch::wal
