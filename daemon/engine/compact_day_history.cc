#include "engine/compact_day_history.h"

#include <algorithm>

namespace atmwatch::engine {
namespace {

void PutVarint(std::vector<uint8_t>& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

uint64_t GetVarint(const std::vector<uint8_t>& in, std::size_t& at) {
  uint64_t value = 0;
  for (int shift = 0;; shift += 7) {
    const uint8_t byte = in[at++];
    value |= uint64_t{byte & 0x7fu} << shift;
    if (byte < 0x80) return value;
  }
}

uint64_t ZigZag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}

int64_t UnZigZag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

}  // namespace

void CompactDayHistory::Put(const AtmDayUsage& record) {
  if (empty()) {
    bytes_.clear();
    start_ = 0;
    base_day_ = record.day;
    newest_day_ = record.day;
  } else if (record.day <= newest_day_) {
    std::vector<AtmDayUsage> records = Decoded();
    auto it = std::lower_bound(records.begin(), records.end(), record.day,
                               [](const AtmDayUsage& kept, int64_t day) { return kept.day < day; });
    if (it != records.end() && it->day == record.day) {
      *it = record;
    } else {
      records.insert(it, record);
    }
    Encode(records);
    return;
  }
  Append(record);
}

void CompactDayHistory::DropBefore(int64_t day) {
  int64_t previous_day = base_day_;
  while (start_ < bytes_.size()) {
    std::size_t next = start_;
    const AtmDayUsage record = DecodeAt(next, previous_day);
    if (record.day >= day) break;
    start_ = next;
    previous_day = record.day;
  }
  base_day_ = static_cast<int32_t>(previous_day);
  if (empty()) {
    bytes_.clear();
    start_ = 0;
  } else if (start_ > bytes_.size() / 4) {
    bytes_.erase(bytes_.begin(), bytes_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
}

std::optional<AtmDayUsage> CompactDayHistory::Find(int64_t day) const {
  std::optional<AtmDayUsage> found;
  ForEachIn({day, day}, [&found](const AtmDayUsage& record) { found = record; });
  return found;
}

void CompactDayHistory::Append(const AtmDayUsage& record) {
  PutVarint(bytes_, static_cast<uint64_t>(int64_t{record.day} - newest_day_));
  uint32_t mask = 0;
  for (std::size_t i = 0; i < record.counts.size(); ++i) {
    if (record.counts[i] != 0) mask |= 1u << i;
  }
  PutVarint(bytes_, mask);
  for (uint16_t count : record.counts) {
    if (count != 0) PutVarint(bytes_, count);
  }
  PutVarint(bytes_, ZigZag(record.withdrawal_yen));
  PutVarint(bytes_, ZigZag(record.commission_yen));
  newest_day_ = record.day;
}

void CompactDayHistory::Encode(const std::vector<AtmDayUsage>& records) {
  bytes_.clear();
  start_ = 0;
  if (records.empty()) return;
  base_day_ = records.front().day;
  newest_day_ = records.front().day;
  for (const AtmDayUsage& record : records) Append(record);
}

std::vector<AtmDayUsage> CompactDayHistory::Decoded() const {
  std::vector<AtmDayUsage> records;
  int64_t previous_day = base_day_;
  for (std::size_t at = start_; at < bytes_.size();) {
    records.push_back(DecodeAt(at, previous_day));
    previous_day = records.back().day;
  }
  return records;
}

AtmDayUsage CompactDayHistory::DecodeAt(std::size_t& at, int64_t previous_day) const {
  AtmDayUsage record;
  record.day = static_cast<int32_t>(previous_day + static_cast<int64_t>(GetVarint(bytes_, at)));
  const uint64_t mask = GetVarint(bytes_, at);
  for (std::size_t i = 0; i < record.counts.size(); ++i) {
    if (mask & (uint64_t{1} << i)) record.counts[i] = static_cast<uint16_t>(GetVarint(bytes_, at));
  }
  record.withdrawal_yen = static_cast<int32_t>(UnZigZag(GetVarint(bytes_, at)));
  record.commission_yen = static_cast<int32_t>(UnZigZag(GetVarint(bytes_, at)));
  return record;
}

}  // namespace atmwatch::engine
