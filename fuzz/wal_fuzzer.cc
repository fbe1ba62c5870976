// Fuzz target: the write-ahead log's reading side. The input is read twice:
//
//  1. As a segment file found on disk: LogReader over its bytes, each record
//     split into LSN and payload (SplitBatchLogRecord) and the payload parsed
//     as the Batch it holds, as BatchLog::Replay and DurableState do.
//  2. As records to write: LogWriter appends them (after a filler record
//     that moves them to a block edge), the file is cut where a crash could
//     cut it, BatchLog's recovery is replayed (cut at last_record_end(),
//     append more) and the result read back.
//
// Invariants besides "no crash, no leak, no undefined behaviour":
//  - reading is the same whatever sizes the file's reads return;
//  - records come out in file order, inside the file, and every damaged
//    region reported lies inside the file;
//  - what LogWriter wrote reads back record for record with no damage and no
//    torn tail; a file cut anywhere reads back as a prefix of its records
//    with nothing reported as damage (a torn tail is the normal end of a
//    crashed log), and appending after last_record_end() loses nothing.
//    The prefix rule has one documented exception (docs/wal-format.md): a
//    record whose data holds a whole valid record, cut inside it, lets the
//    reader's search after the cut find the embedded one.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "atmwatch/v1/ingest.pb.h"
#include "fuzz_check.h"
#include "wal/batch_log.h"
#include "wal/crc32c.h"
#include "wal/file.h"
#include "wal/log_reader.h"
#include "wal/log_writer.h"
#include "wal/wal_format.h"

namespace {

using namespace atmwatch::wal;

// Returns at most `piece` bytes per Read, as a pipe or a slow disk may.
class PieceFile final : public SequentialFile {
 public:
  PieceFile(std::string_view contents, std::size_t piece) : contents_(contents), piece_(piece) {}
  atmwatch::Status Read(std::span<char> buffer, size_t* bytes_read) override {
    const std::size_t n = std::min({buffer.size(), contents_.size(), piece_});
    std::copy_n(contents_.data(), n, buffer.data());
    contents_.remove_prefix(n);
    *bytes_read = n;
    return atmwatch::Status::Ok();
  }

 private:
  std::string_view contents_;
  std::size_t piece_;
};

struct Damage {
  std::size_t bytes;
  std::string reason;
  std::uint64_t offset;
  bool operator==(const Damage&) const = default;
};

class DamageList final : public LogReader::Reporter {
 public:
  void Corruption(size_t bytes, std::string_view reason, uint64_t offset) override {
    found.push_back({bytes, std::string(reason), offset});
  }
  std::vector<Damage> found;
};

struct Reading {
  std::vector<std::string> records;
  std::vector<std::uint64_t> offsets;
  std::vector<Damage> damage;
  bool torn_tail = false;
  std::uint64_t last_record_end = 0;
};

Reading ReadAll(std::string_view file, std::size_t piece) {
  PieceFile source(file, piece);
  DamageList reporter;
  LogReader reader(&source, &reporter);
  Reading out;
  std::string record;
  std::uint64_t offset = 0;
  while (reader.ReadRecord(&record, &offset)) {
    // A record's header and payload, at least, lie in the file.
    FUZZ_CHECK(offset + kHeaderSize + record.size() <= file.size());
    FUZZ_CHECK(out.offsets.empty() || offset > out.offsets.back());
    out.records.push_back(record);
    out.offsets.push_back(offset);
  }
  FUZZ_CHECK(reader.status().ok());
  out.damage = std::move(reporter.found);
  out.torn_tail = reader.torn_tail();
  out.last_record_end = reader.last_record_end();
  FUZZ_CHECK(out.last_record_end <= file.size());
  FUZZ_CHECK(out.offsets.empty() || out.offsets.back() < out.last_record_end);
  for (const Damage& damage : out.damage) {
    FUZZ_CHECK(!damage.reason.empty());
    FUZZ_CHECK(damage.offset < file.size());
    FUZZ_CHECK(damage.bytes <= file.size());
  }
  return out;
}

void CheckSegment(std::string_view file) {
  const Reading whole = ReadAll(file, file.size() + 1);
  const Reading pieces = ReadAll(file, 1 + file.size() % 4099);
  FUZZ_CHECK(pieces.records == whole.records);
  FUZZ_CHECK(pieces.offsets == whole.offsets);
  FUZZ_CHECK(pieces.damage == whole.damage);
  FUZZ_CHECK(pieces.torn_tail == whole.torn_tail);
  FUZZ_CHECK(pieces.last_record_end == whole.last_record_end);

  atmwatch::v1::Batch batch;
  for (const std::string& record : whole.records) {
    std::uint64_t lsn = 0;
    std::string_view payload;
    if (!SplitBatchLogRecord(record, &lsn, &payload)) {
      FUZZ_CHECK(record.size() < 8);
      continue;
    }
    FUZZ_CHECK(payload.size() + 8 == record.size());
    if (!payload.empty())
      (void)batch.ParseFromArray(payload.data(), static_cast<int>(payload.size()));
  }
}

std::string BatchLogRecord(std::uint64_t lsn, std::string_view payload) {
  std::string record;
  for (int i = 0; i < 8; ++i) record.push_back(static_cast<char>(lsn >> (8 * i)));
  record.append(payload);
  return record;
}

std::string Write(std::string contents, const std::vector<std::string>& records) {
  StringWritableFile file;
  file.contents() = std::move(contents);
  LogWriter writer(&file, file.contents().size());
  for (const std::string& record : records) FUZZ_CHECK(writer.AddRecord(record).ok());
  FUZZ_CHECK(writer.size() == file.contents().size());
  return std::move(file.contents());
}

// Whether `data` holds, anywhere, a header of type 1..4 whose data fits and
// whose checksum matches: what the reader's search after damage would find.
bool EmbedsValidRecord(std::string_view data) {
  for (std::size_t pos = 0; pos + kHeaderSize <= data.size(); ++pos) {
    const char* header = data.data() + pos;
    const auto type = static_cast<std::uint8_t>(header[6]);
    if (type == kZeroType || type > kMaxRecordType) continue;
    const std::size_t length =
        static_cast<std::uint8_t>(header[4]) | static_cast<std::uint8_t>(header[5]) << 8;
    if (kHeaderSize + length > data.size() - pos) continue;
    const std::uint32_t expected = crc32c::Unmask(DecodeFixed32(header));
    if (crc32c::Value(std::string_view(header + 6, 1 + length)) == expected) return true;
  }
  return false;
}

bool IsPrefix(const std::vector<std::string>& prefix, const std::vector<std::string>& all) {
  return prefix.size() <= all.size() && std::equal(prefix.begin(), prefix.end(), all.begin());
}

// Input layout for the round trip: two bytes of filler length (a first
// record that moves the rest towards a block edge), two bytes that pick where
// a crash cuts the file, then records separated by '\n'.
void CheckRoundTrip(std::string_view input) {
  if (input.size() < 4) return;
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(input[i]); };
  const std::size_t filler = (byte(0) | byte(1) << 8) % (2 * kBlockSize);
  const std::size_t cut_from_end = byte(2) | byte(3) << 8;
  input.remove_prefix(4);

  std::vector<std::string> records = {BatchLogRecord(1, std::string(filler, 'f'))};
  for (std::size_t start = 0; start <= input.size();) {
    const std::size_t newline = std::min(input.find('\n', start), input.size());
    records.push_back(BatchLogRecord(records.size() + 1, input.substr(start, newline - start)));
    start = newline + 1;
  }

  const std::string file = Write("", records);
  const Reading clean = ReadAll(file, file.size() + 1);
  FUZZ_CHECK(clean.records == records);
  FUZZ_CHECK(clean.damage.empty());
  FUZZ_CHECK(!clean.torn_tail);
  FUZZ_CHECK(clean.last_record_end == file.size());

  // A crash cuts the file anywhere: what is left reads as a prefix.
  const std::string cut = file.substr(0, file.size() - std::min(cut_from_end, file.size()));
  const Reading torn = ReadAll(cut, cut.size() + 1);
  if (std::any_of(records.begin(), records.end(), EmbedsValidRecord)) return;
  FUZZ_CHECK(IsPrefix(torn.records, records));
  FUZZ_CHECK(torn.damage.empty());
  FUZZ_CHECK(torn.last_record_end <= cut.size());
  if (cut.size() == file.size()) FUZZ_CHECK(torn.records.size() == records.size());

  // Recovery: cut after the last whole record, append, read everything back.
  std::vector<std::string> expected = torn.records;
  const std::vector<std::string> more = {BatchLogRecord(expected.size() + 1, "after recovery"),
                                         BatchLogRecord(expected.size() + 2, "")};
  expected.insert(expected.end(), more.begin(), more.end());
  const std::string recovered = Write(cut.substr(0, torn.last_record_end), more);
  const Reading after = ReadAll(recovered, recovered.size() + 1);
  FUZZ_CHECK(after.records == expected);
  FUZZ_CHECK(after.damage.empty());
  FUZZ_CHECK(!after.torn_tail);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  QuietProtobufLog();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckSegment(input);
  CheckRoundTrip(input);
  return 0;
}
