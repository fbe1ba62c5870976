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

#include "wal/log_reader.h"

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
    : dir_(std::move(dir)),
      options_(options),
      dir_fd_(dir_fd),
      segments_(std::move(segments)),
      committed_segments_(segments_.size()) {}

SegmentDir::~SegmentDir() { ::close(dir_fd_); }

Status SegmentDir::OpenForAppend(const std::string& path, bool create,
                                 std::unique_ptr<WritableFile>* file, uint64_t* size) {
  const int flags = O_WRONLY | O_APPEND | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0);
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) return PosixError(path, create ? "create" : "open for append", errno);
  auto posix = std::make_unique<PosixWritableFile>(fd, path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status status = PosixError(path, "fstat", errno);
    if (create) ::unlink(path.c_str());
    return status;
  }
  *size = static_cast<uint64_t>(st.st_size);
  *file = options_.wrap_file ? options_.wrap_file(std::move(posix)) : std::move(posix);
  return Status::Ok();
}

Status SegmentDir::StartAppending(uint64_t newest_record_end) {
  if (appending_) return Status::Error(dir_ + ": StartAppending called twice");
  committed_segments_ = segments_.size();
  committed_bytes_ = newest_record_end;
  if (!segments_.empty()) {
    if (Status status = CutNewestToCommitted(); !status.ok()) return status;
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
  uncommitted_ = true;
  if (new_segment) {
    Status status = StartSegment(index);
    if (!status.ok()) return Fail(std::move(status));
  }
  Status status = writer_->AddRecord(record);
  if (!status.ok()) return Fail(std::move(status));
  return status;
}

Status SegmentDir::Commit(bool sync) {
  if (!error_.ok()) return error_;
  if (sync && writer_ != nullptr) {
    if (Status status = writer_->Sync(); !status.ok()) return Fail(std::move(status));
  }
  committed_segments_ = segments_.size();
  committed_bytes_ = writer_ != nullptr ? writer_->size() : 0;
  uncommitted_ = false;
  return Status::Ok();
}

Status SegmentDir::Rollback() {
  if (!appending_) return Status::Error(dir_ + ": Rollback before StartAppending");
  if (!uncommitted_) return Status::Ok();
  writer_.reset();
  if (file_ != nullptr) {
    // Its close error says nothing the cut below does not settle.
    (void)file_->Close();
    file_.reset();
  }
  // Newest first: a crash part-way leaves a log that ends in whole records.
  bool deleted = false;
  while (segments_.size() > committed_segments_) {
    const std::string& path = segments_.back().path;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return Fail(PosixError(path, "delete segment started by a failed write", errno));
    }
    segments_.pop_back();
    deleted = true;
  }
  if (deleted) {
    if (Status status = SyncDir(); !status.ok()) return Fail(std::move(status));
  }
  if (!segments_.empty()) {
    if (Status status = CutNewestToCommitted(); !status.ok()) return Fail(std::move(status));
  }
  error_ = Status::Ok();
  uncommitted_ = false;
  return Status::Ok();
}

// Cuts the newest segment to committed_bytes_ if it is longer or a write
// failed since, checks by reading it back that its last record ends there,
// and opens it for appending.
Status SegmentDir::CutNewestToCommitted() {
  const std::string& path = segments_.back().path;
  std::unique_ptr<WritableFile> file;
  uint64_t size = 0;
  if (Status status = OpenForAppend(path, /*create=*/false, &file, &size); !status.ok()) {
    return status;
  }
  if (size < committed_bytes_) {
    return Status::Error(path + ": has " + std::to_string(size) +
                         " bytes, less than its last record end " +
                         std::to_string(committed_bytes_));
  }
  // Cut and fsync even at the right length after a failure: only a sync of
  // the cut file says that its length is durable.
  if (size > committed_bytes_ || uncommitted_) {
    if (Status status = file->Truncate(committed_bytes_); !status.ok()) return status;
    if (Status status = CheckEndsAtCommitted(path); !status.ok()) return status;
  }
  file_ = std::move(file);
  writer_ = std::make_unique<LogWriter>(file_.get(), committed_bytes_);
  return Status::Ok();
}

Status SegmentDir::CheckEndsAtCommitted(const std::string& path) const {
  std::unique_ptr<PosixSequentialFile> source;
  if (Status status = PosixSequentialFile::Open(path, &source); !status.ok()) return status;
  LogReader reader(source.get(), nullptr);
  std::string record;
  uint64_t offset = 0;
  while (reader.ReadRecord(&record, &offset)) {
  }
  if (!reader.status().ok()) return reader.status();
  if (reader.last_record_end() != committed_bytes_ || reader.torn_tail()) {
    return Status::Error(path + ": after cutting it to " + std::to_string(committed_bytes_) +
                         " bytes its last record ends at " +
                         std::to_string(reader.last_record_end()) + "; not appending to it");
  }
  return Status::Ok();
}

Status SegmentDir::DeleteBelow(uint64_t index) {
  size_t deletable = 0;
  while (deletable + 1 < committed_segments_ && segments_[deletable + 1].first_index <= index) {
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
  committed_segments_ -= deleted;
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
  uint64_t size = 0;
  if (Status status = OpenForAppend(path, /*create=*/true, &file_, &size); !status.ok()) {
    return status;
  }
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
