#include "wal/batch_log.h"

#include <fmt/format.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>

#include "wal/file.h"
#include "wal/segment_scan.h"
#include "wal/wal_format.h"

namespace atmwatch::wal {
namespace {

constexpr std::size_t kLsnBytes = 8;

void EncodeLsn(std::uint64_t lsn, std::string* out) {
  for (std::size_t i = 0; i < kLsnBytes; ++i) out->push_back(static_cast<char>(lsn >> (8 * i)));
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
  out->reset(new BatchLog(dir, std::move(segments)));
  return Status::Ok();
}

Status BatchLog::Replay(std::uint64_t after_lsn, bool strict,
                        const std::function<void(std::uint64_t, std::string_view)>& apply,
                        ReplayReport* report) {
  const auto& segments = segments_->segments();
  std::uint64_t newest_end = 0;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const bool newest = i + 1 == segments.size();
    SegmentScan scan = ScanSegment(segments[i].path, newest,
                                   [&](std::uint64_t lsn, std::string_view payload, std::uint64_t) {
                                     ++report->records;
                                     last_lsn_ = std::max(last_lsn_, lsn);
                                     if (lsn > after_lsn) apply(lsn, payload);
                                   });
    if (!scan.status.ok()) return scan.status;
    ++report->segments;
    for (const auto& damage : scan.damage) {
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
      report->torn_tail_bytes = scan.torn_tail_bytes;
    }
  }
  committed_lsn_ = last_lsn_;
  return segments_->StartAppending(newest_end);
}

Status BatchLog::Append(std::string_view payload) {
  const std::uint64_t lsn = ++last_lsn_;
  buffer_.clear();
  EncodeLsn(lsn, &buffer_);
  buffer_.append(payload);
  return segments_->Append(lsn, buffer_);
}

Status BatchLog::Commit(bool sync) {
  Status status = segments_->Commit(sync);
  if (status.ok()) committed_lsn_ = last_lsn_;
  return status;
}

Status BatchLog::Rollback() {
  Status status = segments_->Rollback();
  if (status.ok()) last_lsn_ = committed_lsn_;
  return status;
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
