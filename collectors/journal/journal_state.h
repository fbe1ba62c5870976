#pragma once

#include <sys/types.h>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

// What atmwatch-journal remembers across restarts, and its text form.
//
// The exactly-once argument rests on two facts kept here: `files[].offset`
// only moves past lines whose batches the daemon acknowledged, and a round
// of batches is written down as `pending` (its first seq and the byte ranges
// it covers) *before* its first batch is sent. After a crash the collector
// re-reads exactly those byte ranges, cuts them into the same batches and
// sends them under the same seqs; whatever the daemon had applied comes back
// as duplicates. See collectors/journal/README.md for the file layout.
namespace atmwatch::journal {

// A file's identity: a journal is the inode, wherever it is renamed to.
struct FileKey {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  auto operator<=>(const FileKey&) const = default;
};

struct FileProgress {
  FileKey key;
  std::string path;          // where it was last seen
  std::uint64_t offset = 0;  // bytes acknowledged: always the end of a line
  std::uint64_t lines = 0;   // lines up to offset, header included (for file:line logs)
};

// The byte range [begin, end) of one file, whole lines.
struct Segment {
  FileKey key;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  auto operator<=>(const Segment&) const = default;
};

// Batches first_seq .. first_seq + batches - 1 hold the events of the
// segments, in order, cut every `batch_events` events.
struct PendingRound {
  std::uint64_t first_seq = 0;
  std::uint64_t batches = 0;
  std::uint64_t batch_events = 0;
  std::vector<Segment> segments;
};

struct JournalState {
  std::string source_id;
  std::uint64_t next_seq = 1;  // seq of the next batch not yet written down
  std::vector<FileProgress> files;
  std::optional<PendingRound> pending;
};

std::string SerializeState(const JournalState& state);
// The inverse of SerializeState; an error names the line and what is wrong.
Result<JournalState, std::string> ParseState(std::string_view text);

}  // namespace atmwatch::journal
