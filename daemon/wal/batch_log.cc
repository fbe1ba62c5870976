#include "wal/batch_log.h"

#include <fmt/format.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>

#include "wal/file.h"
#include "wal/log_reader.h"
#include "wal/wal_format.h"

namespace atmwatch::wal {
namespace {

constexpr std::size_t kLsnBytes = 8;

void EncodeLsn(std::uint64_t lsn, std::string* out) {
  for (std::size_t i = 0; i < kLsnBytes; ++i) out->push_back(static_cast<char>(lsn >> (8 * i)));
}

struct Damage {
  std::uint64_t offset;
  std::size_t bytes;
  std::string reason;
  // The LSN of the first record read after the damage: what was lost is
  // numbered below it. None when no record follows in the segment.
  std::optional<std::uint64_t> next_lsn;
};

class CollectingReporter : public LogReader::Reporter {
 public:
  void Corruption(size_t bytes, std::string_view reason, uint64_t offset) override {
    found.push_back({offset, bytes, std::string(reason), std::nullopt});
  }
  std::vector<Damage> found;
};

// Reads one segment; calls on_record(lsn, payload, offset) per readable record.
struct SegmentScan {
  Status status;
  std::vector<Damage> damage;
  bool torn_tail = false;
  std::uint64_t last_record_end = 0;
  std::uint64_t file_size = 0;
};

SegmentScan ScanSegment(
    const Segment& segment,
    const std::function<void(std::uint64_t, std::string_view, std::uint64_t)>& on_record) {
  SegmentScan scan;
  std::unique_ptr<PosixSequentialFile> file;
  scan.status = PosixSequentialFile::Open(segment.path, &file);
  if (!scan.status.ok()) return scan;
  CollectingReporter reporter;
  LogReader reader(file.get(), &reporter);
  std::string record;
  std::uint64_t offset = 0;
  std::size_t damage_followed = 0;
  while (reader.ReadRecord(&record, &offset)) {
    std::uint64_t lsn = 0;
    std::string_view payload;
    if (!SplitBatchLogRecord(record, &lsn, &payload)) {
      reporter.Corruption(record.size(), "record shorter than its LSN", offset);
      continue;
    }
    for (; damage_followed < reporter.found.size(); ++damage_followed) {
      reporter.found[damage_followed].next_lsn = lsn;
    }
    on_record(lsn, payload, offset);
  }
  scan.status = reader.status();
  scan.damage = std::move(reporter.found);
  scan.torn_tail = reader.torn_tail();
  scan.last_record_end = reader.last_record_end();
  std::error_code ec;
  scan.file_size = std::filesystem::file_size(segment.path, ec);
  return scan;
}

std::string FileName(const Segment& segment) {
  return std::filesystem::path(segment.path).filename().string();
}

}  // namespace

bool SplitBatchLogRecord(std::string_view record, std::uint64_t* lsn, std::string_view* payload) {
  if (record.size() < kLsnBytes) return false;
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < kLsnBytes; ++i) {
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(record[i])) << (8 * i);
  }
  *lsn = value;
  *payload = record.substr(kLsnBytes);
  return true;
}

Status BatchLog::Open(const std::string& dir, const SegmentDirOptions& options,
                      std::unique_ptr<BatchLog>* out) {
  std::unique_ptr<SegmentDir> segments;
  if (auto status = SegmentDir::Open(dir, options, &segments); !status.ok()) return status;
  out->reset(new BatchLog(dir, options, std::move(segments)));
  return Status::Ok();
}

Status BatchLog::Replay(std::uint64_t after_lsn, bool strict,
                        const std::function<void(std::uint64_t, std::string_view)>& apply,
                        ReplayReport* report) {
  const auto& segments = segments_->segments();
  std::uint64_t newest_end = 0;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const bool newest = i + 1 == segments.size();
    SegmentScan scan =
        ScanSegment(segments[i], [&](std::uint64_t lsn, std::string_view payload, std::uint64_t) {
          ++report->records;
          last_lsn_ = std::max(last_lsn_, lsn);
          if (lsn > after_lsn) apply(lsn, payload);
        });
    if (!scan.status.ok()) return scan.status;
    ++report->segments;
    for (const auto& damage : scan.damage) {
      // Damage after the last whole record of the newest segment is a torn
      // write from a crash, the normal end of a log; anywhere else it is not.
      if (newest && damage.offset >= scan.last_record_end) continue;
      std::string text = fmt::format("{}:{}: {} ({} bytes dropped)", FileName(segments[i]),
                                     damage.offset, damage.reason, damage.bytes);
      // Records lost here are numbered below the next record read, or
      // below the next segment's first LSN.
      const std::uint64_t lost_below = damage.next_lsn ? *damage.next_lsn
                                       : newest        ? std::numeric_limits<std::uint64_t>::max()
                                                       : segments[i + 1].first_index;
      if (lost_below <= after_lsn + 1) {
        report->covered_damage.push_back(std::move(text));
        continue;
      }
      report->corrupt_bytes += damage.bytes;
      report->damage.push_back(std::move(text));
      if (strict) {
        return Status::Error(fmt::format("{}:{}: {}; refusing to start (wal.strict)",
                                         segments[i].path, damage.offset, damage.reason));
      }
    }
    if (newest) {
      newest_end = scan.last_record_end;
      if (scan.torn_tail) report->torn_tail_bytes = scan.file_size - scan.last_record_end;
    }
  }
  return segments_->StartAppending(newest_end);
}

Status BatchLog::Append(std::string_view payload) {
  // The number is spent even if the write fails: a record that reached the
  // disk anyway must never share its LSN with a later one.
  const std::uint64_t lsn = ++last_lsn_;
  buffer_.clear();
  EncodeLsn(lsn, &buffer_);
  buffer_.append(payload);
  return segments_->Append(lsn, buffer_);
}

Status BatchLog::Sync() { return segments_->Sync(); }

Status BatchLog::Reopen() {
  segments_.reset();
  if (auto status = SegmentDir::Open(dir_, options_, &segments_); !status.ok()) return status;
  const auto& segments = segments_->segments();
  if (segments.empty()) return segments_->StartAppending(0);
  SegmentScan scan =
      ScanSegment(segments.back(), [&](std::uint64_t lsn, std::string_view, std::uint64_t) {
        last_lsn_ = std::max(last_lsn_, lsn);
      });
  if (!scan.status.ok()) return scan.status;
  return segments_->StartAppending(scan.last_record_end);
}

Status BatchLog::FreeBytes(std::uint64_t* bytes) const {
  struct statvfs fs {};
  if (statvfs(dir_.c_str(), &fs) != 0) {
    return Status::Error(fmt::format("{}: statvfs: {}", dir_, std::strerror(errno)));
  }
  *bytes = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
  return Status::Ok();
}

Status BatchLog::DropCoveredBy(std::uint64_t lsn) { return segments_->DeleteBelow(lsn + 1); }

}  // namespace atmwatch::wal
