#pragma once

// A WritableFile that fails on cue, for tests: SegmentDirOptions::wrap_file
// puts one around every segment a SegmentDir opens, all sharing one
// FileFaults, so a test can fail "the 3rd append from now" or "the next
// fsync" wherever the log happens to be writing.
//
// A failed append lets `partial_bytes` of its data reach the file first, as a
// short write before ENOSPC does. A failed sync leaves everything appended in
// the file, as a real fsync error does: the log must cut it off itself.

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "wal/file.h"
#include "wal/segment_dir.h"

namespace atmwatch::wal {

struct FileFaults {
  // Each is a countdown: that many calls succeed, then `*_failures` calls in
  // a row fail; -1 never fails.
  int appends_before_failure = -1;
  int append_failures = 1;
  std::size_t partial_bytes = 0;
  int syncs_before_failure = -1;
  int sync_failures = 1;
  // The next this many Truncate calls fail without cutting anything.
  int truncate_failures = 0;

  int failed_appends = 0;
  int failed_syncs = 0;
  int failed_truncates = 0;

  // The log's writer thread and a test's thread both look at the counts.
  std::mutex mutex;
};

class FaultyFile final : public WritableFile {
 public:
  FaultyFile(std::unique_ptr<WritableFile> file, std::shared_ptr<FileFaults> faults)
      : file_(std::move(file)), faults_(std::move(faults)) {}

  Status Append(std::string_view data) override {
    {
      std::lock_guard lock(faults_->mutex);
      if (Trip(faults_->appends_before_failure, faults_->append_failures)) {
        ++faults_->failed_appends;
        const std::size_t partial = std::min(faults_->partial_bytes, data.size());
        if (partial > 0) (void)file_->Append(data.substr(0, partial));
        return Status::Error("segment: write: No space left on device (injected)");
      }
    }
    return file_->Append(data);
  }

  Status Sync() override {
    {
      std::lock_guard lock(faults_->mutex);
      if (Trip(faults_->syncs_before_failure, faults_->sync_failures)) {
        ++faults_->failed_syncs;
        return Status::Error("segment: fdatasync: Input/output error (injected)");
      }
    }
    return file_->Sync();
  }

  Status Truncate(uint64_t size) override {
    {
      std::lock_guard lock(faults_->mutex);
      if (faults_->truncate_failures > 0) {
        --faults_->truncate_failures;
        ++faults_->failed_truncates;
        return Status::Error("segment: truncate: Input/output error (injected)");
      }
    }
    return file_->Truncate(size);
  }

  Status Close() override { return file_->Close(); }

 private:
  static bool Trip(int& before_failure, int& failures) {
    if (before_failure < 0) return false;
    if (before_failure > 0) {
      --before_failure;
      return false;
    }
    if (--failures <= 0) before_failure = -1;
    return true;
  }

  std::unique_ptr<WritableFile> file_;
  std::shared_ptr<FileFaults> faults_;
};

// Options whose segments all fail as `faults` says.
inline SegmentDirOptions WithFaults(SegmentDirOptions options,
                                    const std::shared_ptr<FileFaults>& faults) {
  options.wrap_file =
      [faults](std::unique_ptr<WritableFile> file) -> std::unique_ptr<WritableFile> {
    return std::make_unique<FaultyFile>(std::move(file), faults);
  };
  return options;
}

}  // namespace atmwatch::wal
