#include "wal/snapshot_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include "wal/crc32c.h"
#include "wal/file.h"
#include "wal/wal_format.h"

namespace atmwatch::wal {
namespace {

constexpr std::string_view kPrefix = "snapshot-";
constexpr std::string_view kSuffix = ".snap";
constexpr std::string_view kTempSuffix = ".tmp";
constexpr size_t kLsnDigits = 20;

// Header field offsets; see kSnapshotHeaderSize.
constexpr size_t kVersionOffset = 8;
constexpr size_t kPayloadCrcOffset = 12;
constexpr size_t kLsnOffset = 16;
constexpr size_t kLengthOffset = 24;
constexpr size_t kHeaderCrcOffset = 32;

void EncodeFixed64(char* dst, uint64_t value) {
  for (int i = 0; i < 8; ++i) dst[i] = static_cast<char>(value >> (8 * i));
}

uint64_t DecodeFixed64(const char* src) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= uint64_t{static_cast<uint8_t>(src[i])} << (8 * i);
  return value;
}

std::string EncodeHeader(uint64_t lsn, std::string_view payload) {
  std::string header(kSnapshotHeaderSize, '\0');
  header.replace(0, kSnapshotMagic.size(), kSnapshotMagic);
  EncodeFixed32(&header[kVersionOffset], kSnapshotVersion);
  EncodeFixed32(&header[kPayloadCrcOffset], crc32c::Mask(crc32c::Value(payload)));
  EncodeFixed64(&header[kLsnOffset], lsn);
  EncodeFixed64(&header[kLengthOffset], payload.size());
  const uint32_t header_crc = crc32c::Value(std::string_view(header).substr(0, kHeaderCrcOffset));
  EncodeFixed32(&header[kHeaderCrcOffset], crc32c::Mask(header_crc));
  return header;
}

bool IsTempFileName(std::string_view name) {
  return name.starts_with(kPrefix) && name.ends_with(kTempSuffix);
}

Status ReadWholeFile(const std::string& path, std::string* contents) {
  std::unique_ptr<PosixSequentialFile> file;
  Status status = PosixSequentialFile::Open(path, &file);
  if (!status.ok()) return status;
  contents->clear();
  std::string chunk(64 * 1024, '\0');
  while (true) {
    size_t n = 0;
    status = file->Read(std::span<char>(chunk), &n);
    if (!status.ok()) return status;
    if (n == 0) return Status::Ok();
    contents->append(chunk.data(), n);
  }
}

Status RemoveTempFiles(const std::string& dir) {
  std::vector<SnapshotFileInfo> snapshots;
  std::vector<std::string> temp_files;
  Status status = ListSnapshots(dir, &snapshots, &temp_files);
  if (!status.ok()) return status;
  for (const std::string& path : temp_files) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return PosixError(path, "delete leftover temp file", errno);
    }
  }
  return Status::Ok();
}

Status WriteFileDurably(const std::string& path, uint64_t lsn, std::string_view payload) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return PosixError(path, "create", errno);
  PosixWritableFile file(fd, path);
  Status status = file.Append(EncodeHeader(lsn, payload));
  if (status.ok()) status = file.Append(payload);
  if (status.ok()) status = file.Sync();
  if (status.ok()) status = file.Close();
  return status;
}

}  // namespace

std::string SnapshotFileName(uint64_t lsn) {
  char name[48];
  std::snprintf(name, sizeof(name), "snapshot-%020" PRIu64 ".snap", lsn);
  return name;
}

bool ParseSnapshotFileName(std::string_view name, uint64_t* lsn) {
  if (name.size() != kPrefix.size() + kLsnDigits + kSuffix.size() || !name.starts_with(kPrefix) ||
      !name.ends_with(kSuffix)) {
    return false;
  }
  const std::string_view digits = name.substr(kPrefix.size(), kLsnDigits);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *lsn);
  return ec == std::errc() && end == digits.data() + digits.size();
}

std::string EncodeSnapshot(uint64_t lsn, std::string_view payload) {
  std::string file = EncodeHeader(lsn, payload);
  file.append(payload);
  return file;
}

std::string DecodeSnapshot(std::string_view file, uint64_t* lsn, std::string_view* payload) {
  if (file.size() < kSnapshotHeaderSize) {
    return "truncated header (" + std::to_string(file.size()) + " bytes)";
  }
  if (file.substr(0, kSnapshotMagic.size()) != kSnapshotMagic) return "bad magic";
  const uint32_t version = DecodeFixed32(&file[kVersionOffset]);
  if (version != kSnapshotVersion) return "unsupported version " + std::to_string(version);
  const uint32_t header_crc = crc32c::Unmask(DecodeFixed32(&file[kHeaderCrcOffset]));
  if (crc32c::Value(file.substr(0, kHeaderCrcOffset)) != header_crc) {
    return "header checksum mismatch";
  }
  const uint64_t length = DecodeFixed64(&file[kLengthOffset]);
  const uint64_t have = file.size() - kSnapshotHeaderSize;
  if (length != have) {
    return std::string(length > have ? "truncated" : "length mismatch") + ": header says " +
           std::to_string(length) + " payload bytes, file has " + std::to_string(have);
  }
  const std::string_view body = file.substr(kSnapshotHeaderSize);
  const uint32_t payload_crc = crc32c::Unmask(DecodeFixed32(&file[kPayloadCrcOffset]));
  if (crc32c::Value(body) != payload_crc) return "payload checksum mismatch";
  *lsn = DecodeFixed64(&file[kLsnOffset]);
  *payload = body;
  return "";
}

Status WriteSnapshot(const std::string& dir, uint64_t lsn, std::string_view payload) {
  Status status = RemoveTempFiles(dir);
  if (!status.ok()) return status;
  const std::string path = (std::filesystem::path(dir) / SnapshotFileName(lsn)).native();
  const std::string temp_path = path + std::string(kTempSuffix);
  status = WriteFileDurably(temp_path, lsn, payload);
  if (status.ok() && ::rename(temp_path.c_str(), path.c_str()) != 0) {
    status = PosixError(path, "rename from " + temp_path, errno);
  }
  if (!status.ok()) {
    ::unlink(temp_path.c_str());
    return status;
  }
  return SyncDirectory(dir);
}

Status ReadSnapshotFile(const std::string& path, uint64_t* lsn, std::string* payload,
                        std::string* damage) {
  std::string contents;
  Status status = ReadWholeFile(path, &contents);
  if (!status.ok()) return status;
  uint64_t header_lsn = 0;
  std::string_view body;
  *damage = DecodeSnapshot(contents, &header_lsn, &body);
  if (!damage->empty()) return Status::Ok();
  uint64_t name_lsn = 0;
  if (ParseSnapshotFileName(std::filesystem::path(path).filename().native(), &name_lsn) &&
      name_lsn != header_lsn) {
    *damage = "LSN " + std::to_string(header_lsn) + " in header does not match the file name";
    return Status::Ok();
  }
  *lsn = header_lsn;
  payload->assign(body);
  return Status::Ok();
}

Status ListSnapshots(const std::string& dir, std::vector<SnapshotFileInfo>* snapshots,
                     std::vector<std::string>* temp_files) {
  snapshots->clear();
  if (temp_files != nullptr) temp_files->clear();
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec == std::errc::no_such_file_or_directory) return Status::Ok();
  for (const std::filesystem::directory_iterator end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().native();
    uint64_t lsn = 0;
    if (ParseSnapshotFileName(name, &lsn)) {
      std::error_code size_ec;
      const uint64_t size = it->file_size(size_ec);
      snapshots->push_back({lsn, it->path().native(), size_ec ? 0 : size});
    } else if (temp_files != nullptr && IsTempFileName(name)) {
      temp_files->push_back(it->path().native());
    }
  }
  if (ec) return Status::Error(dir + ": list directory: " + ec.message());
  std::sort(snapshots->begin(), snapshots->end(),
            [](const SnapshotFileInfo& a, const SnapshotFileInfo& b) { return a.lsn < b.lsn; });
  if (temp_files != nullptr) std::sort(temp_files->begin(), temp_files->end());
  return Status::Ok();
}

Status LoadNewestSnapshot(const std::string& dir, SnapshotReporter* reporter, uint64_t* lsn,
                          std::string* payload, bool* found) {
  *found = false;
  std::vector<SnapshotFileInfo> snapshots;
  Status status = ListSnapshots(dir, &snapshots);
  if (!status.ok()) return status;
  for (auto it = snapshots.rbegin(); it != snapshots.rend(); ++it) {
    std::string damage;
    status = ReadSnapshotFile(it->path, lsn, payload, &damage);
    if (!status.ok()) return status;
    if (damage.empty()) {
      *found = true;
      return Status::Ok();
    }
    if (reporter != nullptr) reporter->Damaged(it->path, damage);
  }
  payload->clear();
  return Status::Ok();
}

Status RemoveOldSnapshots(const std::string& dir, size_t keep,
                          std::optional<uint64_t>* oldest_kept_lsn) {
  if (keep == 0) return Status::Error(dir + ": RemoveOldSnapshots: keep must be at least 1");
  std::vector<SnapshotFileInfo> snapshots;
  Status status = ListSnapshots(dir, &snapshots);
  if (!status.ok()) return status;
  const size_t doomed = snapshots.size() > keep ? snapshots.size() - keep : 0;
  for (size_t i = 0; i < doomed; ++i) {
    if (::unlink(snapshots[i].path.c_str()) != 0 && errno != ENOENT) {
      status = PosixError(snapshots[i].path, "delete", errno);
      break;
    }
  }
  if (doomed > 0) {
    Status synced = SyncDirectory(dir);
    if (status.ok()) status = std::move(synced);
  }
  if (oldest_kept_lsn != nullptr) {
    *oldest_kept_lsn = std::nullopt;
    if (status.ok() && doomed < snapshots.size()) *oldest_kept_lsn = snapshots[doomed].lsn;
  }
  return status;
}

}  // namespace atmwatch::wal
