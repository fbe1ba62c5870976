#pragma once

// Snapshot files: the daemon's serialized aggregate state, one file per
// snapshot, in a directory of their own (<data_dir>/snapshots). The payload
// is opaque here; the file adds a checksummed header naming the WAL LSN the
// state covers (the last record whose effects it includes), so recovery is
// "newest valid snapshot + replay of the WAL records above its LSN". The
// byte layout is in docs/wal-format.md ("Snapshot files").
//
//   snapshot-<LSN, 20 digits>.snap        a snapshot
//   snapshot-<LSN, 20 digits>.snap.tmp    a write in progress, or left by a crash
//
// Retention: keep the newest two snapshots (RemoveOldSnapshots), and let the
// WAL drop only what the OLDEST kept snapshot covers, so that when the newest
// turns out damaged, the previous one plus the WAL still rebuild the state.
//
// Thread-safety: free functions over the file system; two writers must not
// work on one directory at the same time. Errors: I/O failures come back as
// a Status naming the file and the errno text; damage to a file's contents is
// not an I/O error: it is reported (SnapshotReporter, or `damage`) and the
// file is passed over.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atmwatch::wal {

inline constexpr std::string_view kSnapshotMagic = "AWSNAP01";
inline constexpr uint32_t kSnapshotVersion = 1;
// magic (8), version (4), payload crc (4), lsn (8), payload length (8),
// header crc (4).
inline constexpr size_t kSnapshotHeaderSize = 36;
// Snapshots kept by default: the newest, and one to fall back on.
inline constexpr size_t kSnapshotsKept = 2;

struct SnapshotFileInfo {
  uint64_t lsn = 0;  // from the file name
  std::string path;
  uint64_t size = 0;  // bytes, header included
};

class SnapshotReporter {
 public:
  virtual ~SnapshotReporter() = default;

  // The snapshot at `path` was skipped. Reasons: "truncated header (<n>
  // bytes)", "bad magic", "unsupported version <n>", "header checksum
  // mismatch", "LSN <n> in header does not match the file name",
  // "truncated: ...", "length mismatch: ...", "payload checksum mismatch".
  virtual void Damaged(const std::string& path, std::string_view reason) = 0;
};

std::string SnapshotFileName(uint64_t lsn);
bool ParseSnapshotFileName(std::string_view name, uint64_t* lsn);

// The whole file for `payload` covering `lsn`: header, then payload.
std::string EncodeSnapshot(uint64_t lsn, std::string_view payload);

// Checks `file` (a whole snapshot file's bytes). Returns "" and sets *lsn
// and *payload (a view into `file`) when it verifies; otherwise returns the
// reason it does not, and leaves the outputs alone.
std::string DecodeSnapshot(std::string_view file, uint64_t* lsn, std::string_view* payload);

// Writes the snapshot of `payload` covering `lsn` into `dir`, which must
// exist: first to snapshot-<lsn>.snap.tmp, fsynced, then renamed into place
// (replacing a snapshot of the same LSN) and the directory fsynced. Once this
// returns ok the snapshot survives a crash; if it fails or the process dies
// midway, readers see no trace of it. Removes snapshot *.tmp files left by
// earlier crashes first.
Status WriteSnapshot(const std::string& dir, uint64_t lsn, std::string_view payload);

// Reads and checks one snapshot file. An I/O error is the returned Status.
// Otherwise *damage is "" and *lsn/*payload are set when the file verifies
// (and its header's LSN matches its name), or *damage holds the reason.
Status ReadSnapshotFile(const std::string& path, uint64_t* lsn, std::string* payload,
                        std::string* damage);

// The snapshots in `dir`, oldest (lowest LSN) first, by name only: nothing
// is read. A missing `dir` has none. Other files are ignored; leftover
// *.tmp files go to *temp_files (full paths) when it is not null.
Status ListSnapshots(const std::string& dir, std::vector<SnapshotFileInfo>* snapshots,
                     std::vector<std::string>* temp_files = nullptr);

// Loads the newest snapshot in `dir` that verifies. Damaged ones are passed
// to `reporter` (may be null) and skipped in favour of older ones. No valid
// snapshot (or no `dir`) sets *found = false and is ok: the state starts
// empty and the WAL replays from its beginning. An I/O error reading a file
// fails the load rather than silently falling back.
//
// The caller must still check that the WAL holds the records after *lsn: a
// fallback snapshot is only useful if the WAL was kept back to it.
Status LoadNewestSnapshot(const std::string& dir, SnapshotReporter* reporter, uint64_t* lsn,
                          std::string* payload, bool* found);

// Deletes all but the newest `keep` (>= 1) snapshots, by LSN, and fsyncs the
// directory if anything was deleted. Files are not read, so a damaged one
// counts as kept. *oldest_kept_lsn (may be null) gets the LSN of the oldest
// snapshot left, or nullopt when there is none: the WAL may drop records up
// to that LSN (BatchLog::DropCoveredBy) and no further.
Status RemoveOldSnapshots(const std::string& dir, size_t keep = kSnapshotsKept,
                          std::optional<uint64_t>* oldest_kept_lsn = nullptr);

}  // namespace atmwatch::wal
