#include "wal/log_reader.h"

#include "wal/crc32c.h"
#include "wal/wal_format.h"

namespace atmwatch::wal {
namespace {

// Whether only a block trailer lies between a record ending at `record_end`
// and the end of the file: then the log ended cleanly.
bool OnlyTrailerFollows(uint64_t record_end, uint64_t file_end) {
  if (file_end == record_end) return true;
  const uint64_t left_in_block = kBlockSize - record_end % kBlockSize;
  return left_in_block < kHeaderSize && file_end - record_end <= left_in_block;
}

}  // namespace

LogReader::LogReader(SequentialFile* file, Reporter* reporter)
    : file_(file), reporter_(reporter), backing_store_(kBlockSize, '\0') {}

bool LogReader::ReadRecord(std::string* record, uint64_t* offset) {
  record->clear();
  bool in_fragmented_record = false;
  uint64_t record_offset = 0;
  auto drop_partial = [&](std::string_view reason) {
    if (in_fragmented_record) Report(record->size(), reason, record_offset);
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
        last_record_end_ = BufferOffset();
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
        }
        break;

      case kLastType:
        if (!in_fragmented_record) {
          Report(fragment.size(), "last fragment without first", fragment_offset_);
          break;
        }
        record->append(fragment);
        *offset = record_offset;
        last_record_end_ = BufferOffset();
        return true;

      case kEof:
        // An unfinished fragmented record here is the writer dying between
        // fragments: part of the torn tail, like a half-written fragment.
        record->clear();
        torn_tail_ = status_.ok() && !OnlyTrailerFollows(last_record_end_, end_of_buffer_offset_);
        return false;

      case kBadRecord:
        drop_partial("error in middle of record");
        break;

      default:
        Report(fragment.size(), "unknown record type " + std::to_string(type), fragment_offset_);
        drop_partial("error in middle of record");
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
    const size_t length = static_cast<uint8_t>(header[4]) | static_cast<uint8_t>(header[5]) << 8;
    const auto type = static_cast<uint8_t>(header[6]);
    const uint64_t header_offset = BufferOffset();
    if (kHeaderSize + length > buffer_.size()) {
      const size_t dropped = buffer_.size();
      buffer_ = {};
      // Past the end of the file, this is the writer dying mid-record.
      if (eof_) return kEof;
      Report(dropped, "bad record length", header_offset);
      return kBadRecord;
    }
    const uint32_t expected = crc32c::Unmask(DecodeFixed32(header));
    if (crc32c::Value(std::string_view(header + 6, 1 + length)) != expected) {
      // The length may be what is damaged, and trusting it could land on
      // bytes that merely look like a record: drop the rest of the block.
      const size_t dropped = buffer_.size();
      buffer_ = {};
      Report(dropped, "checksum mismatch", header_offset);
      return kBadRecord;
    }
    *fragment = buffer_.substr(kHeaderSize, length);
    fragment_offset_ = header_offset;
    buffer_.remove_prefix(kHeaderSize + length);
    return type;
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

}  // namespace atmwatch::wal
