#include "wal/segment_scan.h"

#include <filesystem>
#include <memory>
#include <system_error>

#include "wal/batch_log.h"
#include "wal/file.h"
#include "wal/log_reader.h"

namespace atmwatch::wal {
namespace {

class CollectingReporter : public LogReader::Reporter {
 public:
  explicit CollectingReporter(std::vector<SegmentDamage>* found) : found_(found) {}
  void Corruption(size_t bytes, std::string_view reason, uint64_t offset) override {
    found_->push_back({offset, bytes, std::string(reason), std::nullopt});
  }

 private:
  std::vector<SegmentDamage>* found_;
};

}  // namespace

SegmentScan ScanSegment(
    const std::string& path, bool newest,
    const std::function<void(std::uint64_t, std::string_view, std::uint64_t)>& on_record) {
  SegmentScan scan;
  std::unique_ptr<PosixSequentialFile> file;
  scan.status = PosixSequentialFile::Open(path, &file);
  if (!scan.status.ok()) return scan;
  CollectingReporter reporter(&scan.damage);
  LogReader reader(file.get(), &reporter, /*end_may_be_torn=*/newest);
  std::string record;
  std::uint64_t offset = 0;
  std::size_t damage_followed = 0;
  while (reader.ReadRecord(&record, &offset)) {
    std::uint64_t lsn = 0;
    std::string_view payload;
    if (!SplitBatchLogRecord(record, &lsn, &payload)) {
      scan.damage.push_back({offset, record.size(), "record shorter than its LSN", std::nullopt});
      continue;
    }
    for (; damage_followed < scan.damage.size(); ++damage_followed) {
      scan.damage[damage_followed].next_lsn = lsn;
    }
    on_record(lsn, payload, offset);
  }
  scan.status = reader.status();
  scan.last_record_end = reader.last_record_end();
  if (!reader.torn_tail()) return scan;
  if (newest) {
    scan.torn_tail_bytes = reader.torn_tail_bytes();
  } else {
    std::error_code ec;
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    scan.damage.push_back(
        {ec ? scan.last_record_end : size - reader.torn_tail_bytes(), reader.torn_tail_bytes(),
         "partial record at the end of a segment that is not the newest", std::nullopt});
  }
  return scan;
}

}  // namespace atmwatch::wal
