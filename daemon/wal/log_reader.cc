#include "wal/log_reader.h"

#include <algorithm>

#include "wal/crc32c.h"
#include "wal/wal_format.h"

namespace atmwatch::wal {
namespace {

// Whether only a block trailer lies between `explained_end` and the end of
// the file: then the log ended cleanly.
bool OnlyTrailerFollows(uint64_t explained_end, uint64_t file_end) {
  if (file_end == explained_end) return true;
  const uint64_t left_in_block = kBlockSize - explained_end % kBlockSize;
  return left_in_block < kHeaderSize && file_end - explained_end <= left_in_block;
}

size_t PayloadLength(const char* header) {
  return static_cast<uint8_t>(header[4]) | static_cast<uint8_t>(header[5]) << 8;
}

bool ChecksumMatches(const char* header, size_t length) {
  const uint32_t expected = crc32c::Unmask(DecodeFixed32(header));
  return crc32c::Value(std::string_view(header + 6, 1 + length)) == expected;
}

// The first offset in `block` after 0 where a whole record of a known type
// with a matching checksum starts, or block.size(). Records never cross a
// block boundary, so the rest of the block is all there is to search. The
// type check first keeps zeros and most garbage away from the checksum.
size_t NextValidRecord(std::string_view block) {
  for (size_t pos = 1; pos + kHeaderSize <= block.size(); ++pos) {
    const char* header = block.data() + pos;
    const auto type = static_cast<uint8_t>(header[6]);
    if (type == kZeroType || type > kMaxRecordType) continue;
    const size_t length = PayloadLength(header);
    if (kHeaderSize + length > block.size() - pos) continue;
    if (ChecksumMatches(header, length)) return pos;
  }
  return block.size();
}

}  // namespace

LogReader::LogReader(SequentialFile* file, Reporter* reporter, bool end_may_be_torn)
    : file_(file),
      reporter_(reporter),
      end_may_be_torn_(end_may_be_torn),
      backing_store_(kBlockSize, '\0') {}

bool LogReader::ReadRecord(std::string* record, uint64_t* offset) {
  record->clear();
  bool in_fragmented_record = false;
  uint64_t record_offset = 0;
  // A valid fragment cut the record short: reported at once.
  auto drop_partial = [&](std::string_view reason) {
    if (in_fragmented_record) {
      Report(record->size(), reason, record_offset);
      tail_start_ = std::max(tail_start_, fragment_offset_);
    }
    in_fragmented_record = false;
    record->clear();
  };
  std::string_view fragment;
  while (true) {
    const int type = ReadPhysicalRecord(&fragment);
    switch (type) {
      case kFullType:
        drop_partial("partial record without end");
        record->assign(fragment);
        *offset = fragment_offset_;
        last_record_end_ = tail_start_ = BufferOffset();
        return true;

      case kFirstType:
        drop_partial("partial record without end");
        record->assign(fragment);
        record_offset = fragment_offset_;
        in_fragmented_record = true;
        break;

      case kMiddleType:
        if (in_fragmented_record) {
          record->append(fragment);
        } else {
          Report(fragment.size(), "middle fragment without first", fragment_offset_);
          tail_start_ = BufferOffset();
        }
        break;

      case kLastType:
        if (!in_fragmented_record) {
          Report(fragment.size(), "last fragment without first", fragment_offset_);
          tail_start_ = BufferOffset();
          break;
        }
        record->append(fragment);
        *offset = record_offset;
        last_record_end_ = tail_start_ = BufferOffset();
        return true;

      case kEof:
        // What is still held back, and an unfinished fragmented record, is
        // the writer dying mid-write: the torn tail.
        record->clear();
        if (!end_may_be_torn_ && !held_.empty()) ReportHeldBack(end_of_buffer_offset_);
        held_.clear();
        torn_tail_ = status_.ok() && !OnlyTrailerFollows(tail_start_, end_of_buffer_offset_);
        torn_tail_bytes_ = torn_tail_ ? end_of_buffer_offset_ - tail_start_ : 0;
        return false;

      case kBadRecord:
        // Whether this is damage depends on what follows, as for the bad
        // bytes themselves.
        if (in_fragmented_record) {
          HoldBack(record->size(), "error in middle of record", record_offset);
        }
        in_fragmented_record = false;
        record->clear();
        break;

      default:
        Report(fragment.size(), "unknown record type " + std::to_string(type), fragment_offset_);
        drop_partial("error in middle of record");
        tail_start_ = BufferOffset();
        break;
    }
  }
}

int LogReader::ReadPhysicalRecord(std::string_view* fragment) {
  while (true) {
    if (buffer_.size() < kHeaderSize) {
      // Short of a header: a block trailer to skip, or, in the final block,
      // a header the writer did not finish.
      if (eof_ || !FillBuffer()) {
        buffer_ = {};
        return kEof;
      }
      continue;
    }
    const char* header = buffer_.data();
    const size_t length = PayloadLength(header);
    const uint64_t header_offset = BufferOffset();
    if (kHeaderSize + length <= buffer_.size() && ChecksumMatches(header, length)) {
      if (!held_.empty()) ReportHeldBack(header_offset);
      *fragment = buffer_.substr(kHeaderSize, length);
      fragment_offset_ = header_offset;
      buffer_.remove_prefix(kHeaderSize + length);
      return static_cast<uint8_t>(header[6]);
    }
    // The length may be what is damaged, so it is not trusted: the search
    // for the next record starts one byte on.
    const size_t skipped = NextValidRecord(buffer_);
    HoldBack(skipped,
             kHeaderSize + length > buffer_.size() ? "bad record length" : "checksum mismatch",
             header_offset);
    buffer_.remove_prefix(skipped);
    return kBadRecord;
  }
}

bool LogReader::FillBuffer() {
  size_t filled = 0;
  while (filled < kBlockSize) {
    size_t n = 0;
    Status status = file_->Read(std::span<char>(backing_store_).subspan(filled), &n);
    if (!status.ok()) {
      status_ = std::move(status);
      eof_ = true;
      return false;
    }
    if (n == 0) {
      eof_ = true;
      break;
    }
    filled += n;
  }
  end_of_buffer_offset_ += filled;
  buffer_ = std::string_view(backing_store_.data(), filled);
  return true;
}

void LogReader::Report(size_t bytes, std::string_view reason, uint64_t offset) {
  if (reporter_ != nullptr) reporter_->Corruption(bytes, reason, offset);
}

void LogReader::HoldBack(size_t bytes, std::string_view reason, uint64_t offset) {
  held_.push_back({bytes, std::string(reason), offset});
}

void LogReader::ReportHeldBack(uint64_t offset) {
  for (const HeldReport& held : held_) {
    if (reporter_ != nullptr) reporter_->Corruption(held.bytes, held.reason, held.offset);
  }
  held_.clear();
  tail_start_ = std::max(tail_start_, offset);
}

}  // namespace atmwatch::wal
