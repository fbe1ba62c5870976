#pragma once

// Appends records to one WAL segment in the block format of wal_format.h.
//
// Lifetime: `*dest` must outlive the writer. Thread-safety: none; the one
// thread that commits batches owns the writer. Errors: an Append or Sync
// failure is returned and then sticks, because the file's tail is no longer
// known; every later call returns it again. Recovery is to cut the file back
// to a known record end and start a new writer there (SegmentDir::Rollback).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "wal/file.h"
#include "wal/wal_format.h"

namespace atmwatch::wal {

class LogWriter {
 public:
  // `dest_length` is the number of bytes already in `*dest`; appending
  // continues the block layout from there.
  explicit LogWriter(WritableFile* dest, uint64_t dest_length = 0);
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // Appends `record` (any length, may be empty) with one WritableFile::Append.
  // Not durable until Sync() returns ok.
  Status AddRecord(std::string_view record);
  Status AddRecord(std::span<const std::byte> record) {
    return AddRecord(std::string_view(reinterpret_cast<const char*>(record.data()), record.size()));
  }

  Status Sync();

  // Bytes in the file: the initial length plus everything appended.
  uint64_t size() const { return size_; }

 private:
  void EncodeFragment(RecordType type, std::string_view fragment);

  WritableFile* dest_;
  uint64_t size_;
  size_t block_offset_;
  // CRC of each type byte alone, so a fragment's CRC starts from it.
  std::array<uint32_t, kMaxRecordType + 1> type_crc_;
  // The physical bytes of the record being added, reused between records.
  std::string pending_;
  Status error_;
};

}  // namespace atmwatch::wal
