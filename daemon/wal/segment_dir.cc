#include "wal/segment_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace atmwatch::wal {
namespace {

constexpr std::string_view kPrefix = "wal-";
constexpr std::string_view kSuffix = ".log";
constexpr size_t kIndexDigits = 20;

Status ListSegments(const std::string& dir, std::vector<Segment>* segments) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    uint64_t first_index = 0;
    if (SegmentDir::ParseSegmentFileName(it->path().filename().native(), &first_index)) {
      segments->push_back({first_index, it->path().native()});
    }
  }
  if (ec) return Status::Error(dir + ": list directory: " + ec.message());
  std::sort(segments->begin(), segments->end(),
            [](const Segment& a, const Segment& b) { return a.first_index < b.first_index; });
  return Status::Ok();
}

}  // namespace

std::string SegmentDir::SegmentFileName(uint64_t first_index) {
  char name[40];
  std::snprintf(name, sizeof(name), "wal-%020" PRIu64 ".log", first_index);
  return name;
}

bool SegmentDir::ParseSegmentFileName(std::string_view name, uint64_t* first_index) {
  if (name.size() != kPrefix.size() + kIndexDigits + kSuffix.size() || !name.starts_with(kPrefix) ||
      !name.ends_with(kSuffix)) {
    return false;
  }
  const std::string_view digits = name.substr(kPrefix.size(), kIndexDigits);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const auto [end, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), *first_index);
  return ec == std::errc() && end == digits.data() + digits.size();
}

Status SegmentDir::Open(const std::string& dir, const SegmentDirOptions& options,
                        std::unique_ptr<SegmentDir>* out) {
  std::error_code ec;
  const bool created = std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Error(dir + ": create directory: " + ec.message());
  if (created) {
    // Make the new directory's own entry durable, not just its contents.
    std::filesystem::path path = std::filesystem::path(dir).lexically_normal();
    if (!path.has_filename()) path = path.parent_path();  // "a/b/" names "a/b"
    const std::filesystem::path parent = path.parent_path();
    Status status = SyncDirectory(parent.empty() ? std::string(".") : parent.native());
    if (!status.ok()) return status;
  }
  std::vector<Segment> segments;
  Status status = ListSegments(dir, &segments);
  if (!status.ok()) return status;
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return PosixError(dir, "open directory", errno);
  out->reset(new SegmentDir(dir, options, dir_fd, std::move(segments)));
  return Status::Ok();
}

SegmentDir::SegmentDir(std::string dir, const SegmentDirOptions& options, int dir_fd,
                       std::vector<Segment> segments)
    : dir_(std::move(dir)), options_(options), dir_fd_(dir_fd), segments_(std::move(segments)) {}

SegmentDir::~SegmentDir() { ::close(dir_fd_); }

Status SegmentDir::StartAppending(uint64_t newest_record_end) {
  if (appending_) return Status::Error(dir_ + ": StartAppending called twice");
  if (!segments_.empty()) {
    const std::string& path = segments_.back().path;
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) return PosixError(path, "open for append", errno);
    auto file = std::make_unique<PosixWritableFile>(fd, path);
    struct stat st;
    if (::fstat(fd, &st) != 0) return PosixError(path, "fstat", errno);
    const auto size = static_cast<uint64_t>(st.st_size);
    if (size < newest_record_end) {
      return Status::Error(path + ": has " + std::to_string(size) +
                           " bytes, less than its last record end " +
                           std::to_string(newest_record_end));
    }
    if (size > newest_record_end) {
      if (::ftruncate(fd, static_cast<off_t>(newest_record_end)) != 0) {
        return PosixError(path, "truncate torn tail", errno);
      }
      if (::fsync(fd) != 0) return PosixError(path, "fsync after truncate", errno);
    }
    file_ = std::move(file);
    writer_ = std::make_unique<LogWriter>(file_.get(), newest_record_end);
  }
  appending_ = true;
  return Status::Ok();
}

Status SegmentDir::Append(uint64_t index, std::string_view record) {
  if (!error_.ok()) return error_;
  if (!appending_) return Status::Error(dir_ + ": Append before StartAppending");
  const bool new_segment = writer_ == nullptr || writer_->size() >= options_.max_segment_bytes;
  // Deleting by index relies on each segment holding only indexes from its
  // own first one up to the next segment's.
  if (!segments_.empty()) {
    const uint64_t newest = segments_.back().first_index;
    if (index < newest || (new_segment && index == newest)) {
      return Status::Error(dir_ + ": record index " + std::to_string(index) + " is not above " +
                           segments_.back().path + "'s first index " + std::to_string(newest));
    }
  }
  if (new_segment) {
    Status status = StartSegment(index);
    if (!status.ok()) return Fail(std::move(status));
  }
  Status status = writer_->AddRecord(record);
  if (!status.ok()) return Fail(std::move(status));
  return status;
}

Status SegmentDir::Sync() {
  if (!error_.ok()) return error_;
  if (writer_ == nullptr) return Status::Ok();
  Status status = writer_->Sync();
  if (!status.ok()) return Fail(std::move(status));
  return status;
}

Status SegmentDir::DeleteBelow(uint64_t index) {
  size_t deletable = 0;
  while (deletable + 1 < segments_.size() && segments_[deletable + 1].first_index <= index) {
    ++deletable;
  }
  Status status;
  size_t deleted = 0;
  for (; deleted < deletable; ++deleted) {
    const std::string& path = segments_[deleted].path;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      status = PosixError(path, "delete", errno);
      break;
    }
  }
  segments_.erase(segments_.begin(), segments_.begin() + static_cast<ptrdiff_t>(deleted));
  if (deleted > 0) {
    Status synced = SyncDir();
    if (status.ok()) status = std::move(synced);
  }
  return status;
}

Status SegmentDir::StartSegment(uint64_t first_index) {
  if (writer_ != nullptr) {
    // Sync() only covers the newest segment, so the one being closed must
    // be durable before it stops being the newest.
    Status status = writer_->Sync();
    if (status.ok()) status = file_->Close();
    writer_.reset();
    file_.reset();
    if (!status.ok()) return status;
  }
  const std::string path = (std::filesystem::path(dir_) / SegmentFileName(first_index)).native();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return PosixError(path, "create", errno);
  file_ = std::make_unique<PosixWritableFile>(fd, path);
  writer_ = std::make_unique<LogWriter>(file_.get());
  segments_.push_back({first_index, path});
  return SyncDir();
}

Status SegmentDir::SyncDir() {
  if (::fsync(dir_fd_) != 0) return PosixError(dir_, "fsync directory", errno);
  return Status::Ok();
}

Status SegmentDir::Fail(Status status) {
  error_ = status;
  return status;
}

}  // namespace atmwatch::wal
