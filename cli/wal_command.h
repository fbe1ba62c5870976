#pragma once

// `atmwatch wal verify DIR` and `atmwatch wal dump DIR`: offline inspection
// of a daemon's data directory (DIR/wal, DIR/snapshots; DIR may also be the
// wal/ directory itself). Both only read; run them on a copy or while the
// daemon is stopped to get a consistent picture.
//
// WAL records are framed as BatchLog writes them (wal/batch_log.h): the LSN,
// 8 bytes little endian, then a serialized atmwatch.v1.Batch.

#include <cstdint>
#include <iosfwd>
#include <string>

namespace atmwatch::cli {

struct WalOptions {
  std::string dir;        // data directory, or its wal/ directory
  uint64_t from_lsn = 0;  // dump: first LSN to print
};

// Exit codes of both commands.
inline constexpr int kWalOk = 0;        // readable; a torn tail is only a warning
inline constexpr int kWalCorrupt = 1;   // damage, or a file that could not be read
inline constexpr int kWalBadUsage = 2;  // DIR missing, not a data directory, or in use

// Reads every segment and snapshot and prints to `out`: per segment its
// records, bytes and LSN range; events per kind; batches per source (top
// 20, control characters in ids escaped); snapshots with LSN, size and
// validity; every problem with file:offset and reason. The log is read by
// the daemon's own scan (wal/segment_scan.h): a torn tail of the newest
// segment is a warning, damage (unreadable bytes a valid record follows) an
// error. Usage errors go to `err`.
int RunWalVerify(const WalOptions& options, std::ostream& out, std::ostream& err);

// Prints one JSON line per WAL record with LSN >= from_lsn, probe records
// (wal::IsProbeRecord) left out:
//   {"lsn":N,"segment":"wal-….log","offset":N,"batch":{canonical JSON of the Batch}}
// Damage and warnings go to `err`.
int RunWalDump(const WalOptions& options, std::ostream& out, std::ostream& err);

}  // namespace atmwatch::cli
