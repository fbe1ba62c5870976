#include "wal/log_writer.h"

#include <algorithm>

#include "wal/crc32c.h"

namespace atmwatch::wal {

LogWriter::LogWriter(WritableFile* dest, uint64_t dest_length)
    : dest_(dest), size_(dest_length), block_offset_(dest_length % kBlockSize) {
  for (size_t type = 0; type < type_crc_.size(); ++type) {
    const char byte = static_cast<char>(type);
    type_crc_[type] = crc32c::Value(std::string_view(&byte, 1));
  }
}

Status LogWriter::AddRecord(std::string_view record) {
  if (!error_.ok()) return error_;
  pending_.clear();
  for (bool first = true;; first = false) {
    if (kBlockSize - block_offset_ < kHeaderSize) {
      pending_.append(kBlockSize - block_offset_, '\0');
      block_offset_ = 0;
    }
    // With exactly kHeaderSize bytes left this is an empty fragment: legal,
    // and it keeps the trailer shorter than a header.
    const size_t length = std::min(record.size(), kBlockSize - block_offset_ - kHeaderSize);
    const bool last = length == record.size();
    const RecordType type =
        first ? (last ? kFullType : kFirstType) : (last ? kLastType : kMiddleType);
    EncodeFragment(type, record.substr(0, length));
    record.remove_prefix(length);
    block_offset_ += kHeaderSize + length;
    if (last) break;
  }
  Status status = dest_->Append(pending_);
  if (!status.ok()) {
    error_ = status;
    return status;
  }
  size_ += pending_.size();
  return Status::Ok();
}

Status LogWriter::Sync() {
  if (!error_.ok()) return error_;
  Status status = dest_->Sync();
  if (!status.ok()) error_ = status;
  return status;
}

void LogWriter::EncodeFragment(RecordType type, std::string_view fragment) {
  char header[kHeaderSize];
  EncodeFixed32(header, crc32c::Mask(crc32c::Extend(type_crc_[type], fragment)));
  header[4] = static_cast<char>(fragment.size() & 0xff);
  header[5] = static_cast<char>(fragment.size() >> 8);
  header[6] = static_cast<char>(type);
  pending_.append(header, kHeaderSize);
  pending_.append(fragment);
}

}  // namespace atmwatch::wal
