// Exhaustive damage to small logs: every single-byte corruption and every
// truncation point. The reader may lose records to damage, but must never
// return a damaged record as valid, never lose one silently, and must keep
// the records the damage did not touch.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "wal/file.h"
#include "wal/log_reader.h"
#include "wal/log_writer.h"
#include "wal/wal_format.h"

namespace atmwatch::wal {
namespace {

struct WrittenLog {
  std::string bytes;
  std::vector<std::string> records;
  // Where each record's first header starts and its last fragment ends.
  std::vector<uint64_t> starts;
  std::vector<uint64_t> ends;
};

// Record sizes chosen for the block structure they produce.
struct Layout {
  const char* name;
  std::vector<size_t> sizes;
};

const std::vector<Layout>& Layouts() {
  static const std::vector<Layout> layouts = {
      // The second record is a first fragment filling block 0 to its end and
      // a last fragment in block 1.
      {"spanning", {100, 33000, 0, 20}},
      // The first record leaves a 4-byte trailer.
      {"trailer", {kBlockSize - kHeaderSize - 4, 10, 0}},
      // The first record leaves exactly a header's room: the second starts
      // with an empty first fragment there.
      {"empty first fragment", {kBlockSize - 2 * kHeaderSize, 50, 5}},
  };
  return layouts;
}

WrittenLog WriteLog(const std::vector<size_t>& sizes) {
  StringWritableFile file;
  LogWriter writer(&file);
  WrittenLog log;
  std::mt19937 rng(7);
  for (const size_t size : sizes) {
    std::string record(size, '\0');
    for (char& c : record) c = static_cast<char>(rng());
    uint64_t start = writer.size();
    const uint64_t left_in_block = kBlockSize - start % kBlockSize;
    if (left_in_block < kHeaderSize) start += left_in_block;
    EXPECT_TRUE(writer.AddRecord(record).ok());
    log.records.push_back(std::move(record));
    log.starts.push_back(start);
    log.ends.push_back(writer.size());
  }
  log.bytes = std::move(file.contents());
  return log;
}

class CountingReporter : public LogReader::Reporter {
 public:
  void Corruption(size_t, std::string_view, uint64_t) override { ++reports; }
  int reports = 0;
};

struct Outcome {
  // Indexes into WrittenLog::records of the records read back intact, or -1
  // for a record that is not one of them.
  std::vector<int> records;
  int reports = 0;
  bool torn_tail = false;
  uint64_t last_record_end = 0;
};

Outcome ReadAll(std::string_view bytes, const WrittenLog& log) {
  StringSequentialFile file(bytes);
  CountingReporter reporter;
  LogReader reader(&file, &reporter);
  Outcome outcome;
  std::string record;
  uint64_t offset = 0;
  while (reader.ReadRecord(&record, &offset)) {
    int index = -1;
    for (size_t k = 0; k < log.records.size(); ++k) {
      if (log.starts[k] == offset && log.records[k] == record) index = static_cast<int>(k);
    }
    outcome.records.push_back(index);
  }
  EXPECT_TRUE(reader.status().ok());
  outcome.reports = reporter.reports;
  outcome.torn_tail = reader.torn_tail();
  outcome.last_record_end = reader.last_record_end();
  return outcome;
}

bool InsideRecord(const WrittenLog& log, uint64_t pos) {
  for (size_t k = 0; k < log.records.size(); ++k) {
    if (log.starts[k] <= pos && pos < log.ends[k]) return true;
  }
  return false;
}

void CheckCorruptedByte(const WrittenLog& log, uint64_t pos, const Outcome& outcome) {
  const int n = static_cast<int>(log.records.size());
  int previous = -1;
  for (const int index : outcome.records) {
    ASSERT_NE(-1, index) << "a damaged record was returned as valid";
    ASSERT_GT(index, previous) << "records out of order";
    previous = index;
  }
  const bool all_read = static_cast<int>(outcome.records.size()) == n;
  if (!InsideRecord(log, pos)) {
    // A trailer byte: nothing reads it.
    EXPECT_TRUE(all_read);
    EXPECT_EQ(0, outcome.reports);
    return;
  }
  EXPECT_TRUE(outcome.reports > 0 || outcome.torn_tail) << "damage went unnoticed";
  const uint64_t next_block = (pos / kBlockSize + 1) * kBlockSize;
  for (int k = 0; k < n; ++k) {
    if (log.ends[k] <= pos || log.starts[k] >= next_block) {
      EXPECT_NE(outcome.records.end(), std::find(outcome.records.begin(), outcome.records.end(), k))
          << "record " << k << " lies outside the damaged block but was lost";
    }
  }
}

TEST(LogSweepTest, EverySingleByteCorruptionIsDetected) {
  for (const Layout& layout : Layouts()) {
    SCOPED_TRACE(layout.name);
    const WrittenLog log = WriteLog(layout.sizes);
    std::string bytes = log.bytes;
    for (uint64_t pos = 0; pos < bytes.size(); ++pos) {
      // Every bit of the byte, and one bit alone at each bit position.
      for (const int mask : {0xff, 1 << (pos % 8)}) {
        bytes[pos] = static_cast<char>(bytes[pos] ^ mask);
        const Outcome outcome = ReadAll(bytes, log);
        bytes[pos] = static_cast<char>(bytes[pos] ^ mask);
        SCOPED_TRACE("byte " + std::to_string(pos) + " ^ " + std::to_string(mask));
        ASSERT_NO_FATAL_FAILURE(CheckCorruptedByte(log, pos, outcome));
        if (HasFailure()) return;
      }
    }
  }
}

TEST(LogSweepTest, EveryTruncationReadsTheWholeRecordsBeforeIt) {
  for (const Layout& layout : Layouts()) {
    SCOPED_TRACE(layout.name);
    const WrittenLog log = WriteLog(layout.sizes);
    for (uint64_t length = 0; length <= log.bytes.size(); ++length) {
      SCOPED_TRACE("length " + std::to_string(length));
      const Outcome outcome = ReadAll(std::string_view(log.bytes).substr(0, length), log);
      size_t whole = 0;
      while (whole < log.records.size() && log.ends[whole] <= length) ++whole;
      std::vector<int> expected(whole);
      for (size_t k = 0; k < whole; ++k) expected[k] = static_cast<int>(k);
      ASSERT_EQ(expected, outcome.records);
      ASSERT_EQ(0, outcome.reports) << "a torn tail is not corruption";
      const bool cut_inside_record = whole < log.records.size() && log.starts[whole] < length;
      ASSERT_EQ(cut_inside_record, outcome.torn_tail);
      ASSERT_EQ(whole == 0 ? 0 : log.ends[whole - 1], outcome.last_record_end);
    }
  }
}

}  // namespace
}  // namespace atmwatch::wal
