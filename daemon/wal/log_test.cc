// Scenarios for LogWriter and LogReader over in-memory files: the block
// layout at its edges, then every way the reader meets damage.

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "wal/crc32c.h"
#include "wal/file.h"
#include "wal/log_reader.h"
#include "wal/log_writer.h"
#include "wal/wal_format.h"

namespace atmwatch::wal {
namespace {

std::string BigString(std::string_view partial, size_t n) {
  std::string result;
  while (result.size() < n) result.append(partial);
  result.resize(n);
  return result;
}

std::string NumberString(int n) { return std::to_string(n) + "."; }

// Mostly short strings, now and then up to 128 KiB.
std::string RandomSkewedString(int i, std::mt19937* rng) {
  const size_t max_bits = (*rng)() % 18;
  return BigString(NumberString(i), (*rng)() % (size_t{1} << max_bits));
}

class ReportCollector : public LogReader::Reporter {
 public:
  void Corruption(size_t bytes, std::string_view reason, uint64_t offset) override {
    dropped_bytes += bytes;
    message.append(reason).append("@").append(std::to_string(offset)).append(";");
    offsets.push_back(offset);
  }

  size_t dropped_bytes = 0;
  std::string message;
  std::vector<uint64_t> offsets;
};

class FailingSource : public SequentialFile {
 public:
  Status Read(std::span<char>, size_t*) override { return Status::Error("read error"); }
};

// Accepts `good_appends` appends, then fails every call.
class FailingDest : public WritableFile {
 public:
  explicit FailingDest(int good_appends) : good_appends_(good_appends) {}
  Status Append(std::string_view data) override {
    ++appends;
    if (appends > good_appends_) return Status::Error("dest: write: No space left on device");
    contents.append(data);
    return Status::Ok();
  }
  Status Sync() override { return Status::Ok(); }
  Status Truncate(uint64_t) override { return Status::Ok(); }
  Status Close() override { return Status::Ok(); }

  int appends = 0;
  std::string contents;

 private:
  int good_appends_;
};

class LogTest : public ::testing::Test {
 protected:
  void Write(std::string_view record) {
    ASSERT_FALSE(reader_) << "Write() after starting to read";
    ASSERT_TRUE(writer_->AddRecord(record).ok());
  }

  size_t WrittenBytes() { return dest_.contents().size(); }

  void ReopenWriter() { writer_ = std::make_unique<LogWriter>(&dest_, WrittenBytes()); }

  std::string Read(uint64_t* offset = nullptr) {
    if (!reader_) {
      source_ = std::make_unique<StringSequentialFile>(dest_.contents());
      reader_ = std::make_unique<LogReader>(source_.get(), &report_);
    }
    std::string record;
    uint64_t record_offset = 0;
    if (!reader_->ReadRecord(&record, &record_offset)) return "EOF";
    if (offset != nullptr) *offset = record_offset;
    return record;
  }

  void IncrementByte(size_t offset, int delta) { dest_.contents()[offset] += delta; }
  void SetByte(size_t offset, char value) { dest_.contents()[offset] = value; }
  void ShrinkSize(size_t bytes) { dest_.contents().resize(WrittenBytes() - bytes); }

  // Recomputes the CRC of the fragment at `header_offset` after a test has
  // changed its type, so that the reader sees the change and not a mismatch.
  void FixChecksum(size_t header_offset, size_t length) {
    const std::string_view covered(dest_.contents().data() + header_offset + 6, 1 + length);
    EncodeFixed32(&dest_.contents()[header_offset], crc32c::Mask(crc32c::Value(covered)));
  }

  size_t DroppedBytes() const { return report_.dropped_bytes; }
  const std::string& ReportMessage() const { return report_.message; }
  bool Reported(std::string_view reason) const {
    return report_.message.find(reason) != std::string::npos;
  }

  StringWritableFile dest_;
  std::unique_ptr<LogWriter> writer_ = std::make_unique<LogWriter>(&dest_);
  std::unique_ptr<StringSequentialFile> source_;
  ReportCollector report_;
  std::unique_ptr<LogReader> reader_;
};

TEST_F(LogTest, Empty) {
  EXPECT_EQ("EOF", Read());
  EXPECT_FALSE(reader_->torn_tail());
  EXPECT_EQ(0u, reader_->last_record_end());
  EXPECT_TRUE(reader_->status().ok());
}

TEST_F(LogTest, ReadWrite) {
  Write("foo");
  Write("bar");
  Write("");
  Write("xxxx");
  EXPECT_EQ("foo", Read());
  EXPECT_EQ("bar", Read());
  EXPECT_EQ("", Read());
  EXPECT_EQ("xxxx", Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("EOF", Read());  // reading at EOF stays at EOF
  EXPECT_FALSE(reader_->torn_tail());
  EXPECT_EQ(WrittenBytes(), reader_->last_record_end());
}

TEST_F(LogTest, SpanOverloadWritesTheSameBytes) {
  const std::string payload = "span payload";
  ASSERT_TRUE(writer_->AddRecord(std::as_bytes(std::span(payload))).ok());
  EXPECT_EQ(payload, Read());
}

TEST_F(LogTest, ManyBlocks) {
  for (int i = 0; i < 100000; ++i) Write(NumberString(i));
  for (int i = 0; i < 100000; ++i) ASSERT_EQ(NumberString(i), Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("", ReportMessage());
}

TEST_F(LogTest, Fragmentation) {
  Write("small");
  Write(BigString("medium", 50000));
  Write(BigString("large", 100000));  // first, middle, middle, last
  EXPECT_EQ("small", Read());
  EXPECT_EQ(BigString("medium", 50000), Read());
  EXPECT_EQ(BigString("large", 100000), Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("", ReportMessage());
}

TEST_F(LogTest, SizeCountsEveryByteWritten) {
  Write("small");
  Write(BigString("large", 100000));
  EXPECT_EQ(WrittenBytes(), writer_->size());
  ReopenWriter();
  Write("more");
  EXPECT_EQ(WrittenBytes(), writer_->size());
}

TEST_F(LogTest, OffsetsAreRecordStarts) {
  std::vector<uint64_t> starts;
  for (const size_t n : {3, 40000, 0, 32000, 7}) {
    starts.push_back(WrittenBytes());
    Write(BigString("x", n));
  }
  for (const uint64_t start : starts) {
    uint64_t offset = 0;
    ASSERT_NE("EOF", Read(&offset));
    EXPECT_EQ(start, offset);
  }
}

// A trailer exactly the size of a header: the empty record fits there.
TEST_F(LogTest, MarginalTrailer) {
  const size_t n = kBlockSize - 2 * kHeaderSize;
  Write(BigString("foo", n));
  ASSERT_EQ(kBlockSize - kHeaderSize, WrittenBytes());
  Write("");
  Write("bar");
  EXPECT_EQ(BigString("foo", n), Read());
  EXPECT_EQ("", Read());
  EXPECT_EQ("bar", Read());
  EXPECT_EQ("EOF", Read());
}

// With exactly a header's room left, a non-empty record begins with an empty
// first fragment there and carries on in the next block.
TEST_F(LogTest, EmptyFirstFragmentAtBlockEnd) {
  const size_t n = kBlockSize - 2 * kHeaderSize;
  Write(BigString("foo", n));
  Write("bar");
  ASSERT_EQ(kBlockSize + kHeaderSize + 3, WrittenBytes());
  EXPECT_EQ(kFirstType, static_cast<uint8_t>(dest_.contents()[kBlockSize - 1]));
  EXPECT_EQ(BigString("foo", n), Read());
  uint64_t offset = 0;
  EXPECT_EQ("bar", Read(&offset));
  EXPECT_EQ(kBlockSize - kHeaderSize, offset);
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("", ReportMessage());
}

TEST_F(LogTest, ShortTrailer) {
  const size_t n = kBlockSize - 2 * kHeaderSize + 4;
  Write(BigString("foo", n));
  ASSERT_EQ(kBlockSize - kHeaderSize + 4, WrittenBytes());
  Write("");
  Write("bar");
  EXPECT_EQ(kBlockSize + 2 * kHeaderSize + 3, WrittenBytes());
  EXPECT_EQ(BigString("foo", n), Read());
  uint64_t offset = 0;
  EXPECT_EQ("", Read(&offset));
  EXPECT_EQ(kBlockSize, offset);  // after the 3-byte trailer
  EXPECT_EQ("bar", Read());
  EXPECT_EQ("EOF", Read());
}

TEST_F(LogTest, AlignedEof) {
  const size_t n = kBlockSize - 2 * kHeaderSize + 4;
  Write(BigString("foo", n));
  ASSERT_EQ(kBlockSize - kHeaderSize + 4, WrittenBytes());
  EXPECT_EQ(BigString("foo", n), Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_FALSE(reader_->torn_tail());
}

// A crash while writing a trailer leaves part of it: still a clean end.
TEST_F(LogTest, EndInsideTrailerIsClean) {
  const size_t n = kBlockSize - 2 * kHeaderSize + 4;
  Write(BigString("foo", n));
  Write("bar");
  ShrinkSize(kHeaderSize + 3 + 1);  // keep 2 of the 3 trailer bytes
  EXPECT_EQ(BigString("foo", n), Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_FALSE(reader_->torn_tail());
  EXPECT_EQ(kBlockSize - 3, reader_->last_record_end());
}

TEST_F(LogTest, OpenForAppend) {
  Write("hello");
  ReopenWriter();
  Write("world");
  EXPECT_EQ("hello", Read());
  EXPECT_EQ("world", Read());
  EXPECT_EQ("EOF", Read());
}

// Resuming where only a trailer's room is left must finish that block first.
TEST_F(LogTest, OpenForAppendInsideTrailer) {
  const size_t n = kBlockSize - 2 * kHeaderSize + 4;
  Write(BigString("foo", n));
  ReopenWriter();
  Write("bar");
  EXPECT_EQ(BigString("foo", n), Read());
  uint64_t offset = 0;
  EXPECT_EQ("bar", Read(&offset));
  EXPECT_EQ(kBlockSize, offset);
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("", ReportMessage());
}

TEST_F(LogTest, RandomRead) {
  const int kRecords = 500;
  std::mt19937 write_rng(301);
  for (int i = 0; i < kRecords; ++i) Write(RandomSkewedString(i, &write_rng));
  std::mt19937 read_rng(301);
  for (int i = 0; i < kRecords; ++i) ASSERT_EQ(RandomSkewedString(i, &read_rng), Read());
  EXPECT_EQ("EOF", Read());
}

TEST_F(LogTest, WriteErrorIsReturnedAndSticks) {
  FailingDest dest(/*good_appends=*/1);
  LogWriter writer(&dest);
  EXPECT_TRUE(writer.AddRecord("first").ok());
  const Status failed = writer.AddRecord("second");
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(std::string::npos, failed.message().find("No space left on device"));
  EXPECT_EQ(failed.message(), writer.AddRecord("third").message());
  EXPECT_FALSE(writer.Sync().ok());
  EXPECT_EQ(2, dest.appends);  // nothing more reached the file after the failure
}

// Tests of every error path of the reader follow.

TEST_F(LogTest, ReadError) {
  FailingSource source;
  LogReader reader(&source, &report_);
  std::string record;
  uint64_t offset = 0;
  EXPECT_FALSE(reader.ReadRecord(&record, &offset));
  EXPECT_EQ("read error", reader.status().message());
  EXPECT_FALSE(reader.torn_tail());
  EXPECT_EQ("", ReportMessage());
}

// A whole record with a valid checksum is never a torn write, even at the
// end, whatever its type.
TEST_F(LogTest, BadRecordType) {
  Write("foo");
  IncrementByte(6, 100);  // the type byte
  FixChecksum(0, 3);
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ(3u, DroppedBytes());
  EXPECT_EQ("unknown record type 101@0;", ReportMessage());
  EXPECT_FALSE(reader_->torn_tail());
}

TEST_F(LogTest, ZeroTypeIsNotARecord) {
  Write("foo");
  SetByte(6, kZeroType);
  FixChecksum(0, 3);
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("unknown record type 0@0;", ReportMessage());
}

TEST_F(LogTest, TruncatedTrailingRecordIsIgnored) {
  Write("foo");
  ShrinkSize(4);  // all of the payload and a header byte
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ(0u, DroppedBytes());
  EXPECT_EQ("", ReportMessage());
  EXPECT_TRUE(reader_->torn_tail());
  EXPECT_EQ(0u, reader_->last_record_end());
}

TEST_F(LogTest, TornTailEndsAtLastWholeRecord) {
  Write("foo");
  Write("bar");
  ShrinkSize(2);
  EXPECT_EQ("foo", Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_TRUE(reader_->torn_tail());
  EXPECT_EQ(kHeaderSize + 3, reader_->last_record_end());
  EXPECT_EQ("", ReportMessage());
}

TEST_F(LogTest, BadLength) {
  Write(BigString("bar", kBlockSize - kHeaderSize));
  Write("foo");
  IncrementByte(4, 1);  // low byte of the length: now one past the block
  EXPECT_EQ("foo", Read());
  EXPECT_EQ(kBlockSize, DroppedBytes());
  EXPECT_EQ("bad record length@0;", ReportMessage());
}

TEST_F(LogTest, BadLengthAtEndIsIgnored) {
  Write("foo");
  ShrinkSize(1);
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ(0u, DroppedBytes());
  EXPECT_EQ("", ReportMessage());
  EXPECT_TRUE(reader_->torn_tail());
}

// With nothing valid after it, a bad checksum is what a crash leaves.
TEST_F(LogTest, ChecksumMismatchAtTheEndIsATornTail) {
  Write("foo");
  IncrementByte(0, 10);
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ(0u, DroppedBytes());
  EXPECT_EQ("", ReportMessage());
  EXPECT_TRUE(reader_->torn_tail());
  EXPECT_EQ(kHeaderSize + 3, reader_->torn_tail_bytes());
  EXPECT_EQ(0u, reader_->last_record_end());
}

TEST_F(LogTest, ChecksumMismatchFollowedByARecordIsDamage) {
  Write("foo");
  Write("bar");
  IncrementByte(0, 10);
  EXPECT_EQ("bar", Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ(kHeaderSize + 3, DroppedBytes());
  EXPECT_EQ("checksum mismatch@0;", ReportMessage());
  EXPECT_FALSE(reader_->torn_tail());
  EXPECT_EQ(WrittenBytes(), reader_->last_record_end());
}

// Reading resumes at the next record of the same block; the orphaned end
// of a record that began in the dropped part is reported.
TEST_F(LogTest, ChecksumMismatchResumesAtTheNextRecordInTheBlock) {
  Write("foo");
  Write("bar");
  Write(BigString("x", kBlockSize));
  Write("after");
  IncrementByte(kHeaderSize, 1);  // payload of "foo"
  uint64_t offset = 0;
  EXPECT_EQ("bar", Read(&offset));
  EXPECT_EQ(kHeaderSize + 3, offset);
  EXPECT_EQ(BigString("x", kBlockSize), Read());
  EXPECT_EQ("after", Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("checksum mismatch@0;", ReportMessage());
  EXPECT_FALSE(reader_->torn_tail());
  EXPECT_EQ(WrittenBytes(), reader_->last_record_end());
}

// The damage is in the first record of the file's only block.
TEST_F(LogTest, DamageInTheFirstBlockLosesOnlyTheDamagedRecord) {
  for (int i = 0; i < 100; ++i) Write(NumberString(i));
  IncrementByte(kHeaderSize + 1, 1);
  for (int i = 1; i < 100; ++i) ASSERT_EQ(NumberString(i), Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("checksum mismatch@0;", ReportMessage());
  EXPECT_FALSE(reader_->torn_tail());
}

// Records of 1000 bytes; four bytes flipped in one in the middle block.
TEST_F(LogTest, DamageInAMiddleBlockLosesOnlyTheDamagedRecord) {
  std::vector<uint64_t> starts;
  for (int i = 0; i < 100; ++i) {
    starts.push_back(WrittenBytes());
    Write(BigString(NumberString(i), 1000));
  }
  const int damaged = 40;  // in the second of four blocks
  ASSERT_EQ(1u, starts[damaged] / kBlockSize);
  for (int k = 0; k < 4; ++k) IncrementByte(starts[damaged] + 100 + k, 1);
  for (int i = 0; i < 100; ++i) {
    if (i != damaged) ASSERT_EQ(BigString(NumberString(i), 1000), Read()) << i;
  }
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("checksum mismatch@" + std::to_string(starts[damaged]) + ";", ReportMessage());
  EXPECT_EQ(kHeaderSize + 1000, DroppedBytes());
  EXPECT_FALSE(reader_->torn_tail());
}

// The case a crash cannot explain: whole records after damage in the
// file's last block. They are read, and the damage is reported.
TEST_F(LogTest, DamageInTheLastBlockWithRecordsAfterItIsReported) {
  std::vector<uint64_t> starts;
  for (int i = 0; i < 110; ++i) {
    starts.push_back(WrittenBytes());
    Write(BigString(NumberString(i), 1000));
  }
  const int damaged = 100;  // nine whole records follow it
  ASSERT_EQ(WrittenBytes() / kBlockSize, starts[damaged] / kBlockSize);
  for (int k = 0; k < 4; ++k) IncrementByte(starts[damaged] + 500 + k, 1);
  for (int i = 0; i < 110; ++i) {
    if (i != damaged) ASSERT_EQ(BigString(NumberString(i), 1000), Read()) << i;
  }
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("checksum mismatch@" + std::to_string(starts[damaged]) + ";", ReportMessage());
  EXPECT_FALSE(reader_->torn_tail());
  EXPECT_EQ(WrittenBytes(), reader_->last_record_end());
}

// A crash after the file grew but before its data reached the disk leaves
// zeros after the last whole record.
TEST_F(LogTest, ZeroFilledExtensionIsATornTail) {
  Write("foo");
  dest_.contents().append(2 * kBlockSize, '\0');
  EXPECT_EQ("foo", Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("", ReportMessage());
  EXPECT_TRUE(reader_->torn_tail());
  EXPECT_EQ(2 * kBlockSize, reader_->torn_tail_bytes());
  EXPECT_EQ(kHeaderSize + 3, reader_->last_record_end());
}

TEST_F(LogTest, ZeroedRegionFollowedByARecordIsDamage) {
  Write("foo");
  dest_.contents().append(100, '\0');
  ReopenWriter();
  Write("bar");
  EXPECT_EQ("foo", Read());
  EXPECT_EQ("bar", Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("checksum mismatch@" + std::to_string(kHeaderSize + 3) + ";", ReportMessage());
  EXPECT_EQ(100u, DroppedBytes());
  EXPECT_FALSE(reader_->torn_tail());
}

TEST_F(LogTest, GarbageAfterTheLastRecordIsATornTail) {
  Write("foo");
  std::mt19937 rng(5);
  for (int i = 0; i < 5000; ++i) dest_.contents().push_back(static_cast<char>(rng()));
  EXPECT_EQ("foo", Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("", ReportMessage());
  EXPECT_TRUE(reader_->torn_tail());
  EXPECT_EQ(5000u, reader_->torn_tail_bytes());
}

// A damaged length must not pass for a record cut off by the end of the file
// when a record follows.
TEST_F(LogTest, BadLengthFollowedByARecordIsDamage) {
  Write("foo");
  Write("bar");
  SetByte(5, 0x7f);  // high byte of foo's length: far past the end of the file
  EXPECT_EQ("bar", Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("bad record length@0;", ReportMessage());
  EXPECT_FALSE(reader_->torn_tail());
}

// The unfinished record is the torn tail; the garbage before its first
// fragment, which a valid fragment follows, is damage.
TEST_F(LogTest, DamageBeforeAnUnfinishedRecordIsReportedAndTheRecordIsTorn) {
  Write("foo");
  dest_.contents().append(50, 'x');
  ReopenWriter();
  const uint64_t unfinished = WrittenBytes();
  Write(BigString("bar", 2 * kBlockSize));
  ShrinkSize(100);
  EXPECT_EQ("foo", Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("checksum mismatch@" + std::to_string(kHeaderSize + 3) + ";", ReportMessage());
  EXPECT_TRUE(reader_->torn_tail());
  EXPECT_EQ(WrittenBytes() - unfinished, reader_->torn_tail_bytes());
  EXPECT_EQ(kHeaderSize + 3, reader_->last_record_end());
}

// A file written whole (an older segment) has no torn tail to hide behind:
// what is unreadable at its end is damage.
TEST_F(LogTest, UnreadableEndOfAWholeFileIsDamage) {
  Write("foo");
  Write("bar");
  IncrementByte(kHeaderSize + 3, 1);  // bar's checksum
  StringSequentialFile source(dest_.contents());
  LogReader reader(&source, &report_, /*end_may_be_torn=*/false);
  std::string record;
  uint64_t offset = 0;
  ASSERT_TRUE(reader.ReadRecord(&record, &offset));
  EXPECT_EQ("foo", record);
  EXPECT_FALSE(reader.ReadRecord(&record, &offset));
  EXPECT_EQ("checksum mismatch@" + std::to_string(kHeaderSize + 3) + ";", ReportMessage());
  EXPECT_FALSE(reader.torn_tail());
}

TEST_F(LogTest, UnexpectedMiddleType) {
  Write("foo");
  SetByte(6, kMiddleType);
  FixChecksum(0, 3);
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ(3u, DroppedBytes());
  EXPECT_EQ("middle fragment without first@0;", ReportMessage());
}

TEST_F(LogTest, UnexpectedLastType) {
  Write("foo");
  SetByte(6, kLastType);
  FixChecksum(0, 3);
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ(3u, DroppedBytes());
  EXPECT_EQ("last fragment without first@0;", ReportMessage());
}

TEST_F(LogTest, UnexpectedFullType) {
  Write("foo");
  Write("bar");
  SetByte(6, kFirstType);
  FixChecksum(0, 3);
  EXPECT_EQ("bar", Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ(3u, DroppedBytes());
  EXPECT_EQ("partial record without end@0;", ReportMessage());
}

TEST_F(LogTest, UnexpectedFirstType) {
  Write("foo");
  Write(BigString("bar", 100000));
  SetByte(6, kFirstType);
  FixChecksum(0, 3);
  EXPECT_EQ(BigString("bar", 100000), Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ(3u, DroppedBytes());
  EXPECT_EQ("partial record without end@0;", ReportMessage());
}

TEST_F(LogTest, UnknownTypeInsideFragmentedRecord) {
  Write(BigString("foo", 2 * kBlockSize));  // first, middle, last
  Write("bar");
  SetByte(kBlockSize + 6, 9);
  FixChecksum(kBlockSize, kBlockSize - kHeaderSize);
  EXPECT_EQ("bar", Read());
  EXPECT_TRUE(Reported("unknown record type 9@" + std::to_string(kBlockSize)));
  EXPECT_TRUE(Reported("error in middle of record@0;"));
  EXPECT_TRUE(Reported("last fragment without first@" + std::to_string(2 * kBlockSize)));
}

TEST_F(LogTest, MissingLastIsIgnored) {
  Write(BigString("bar", kBlockSize));
  ShrinkSize(14);  // the whole last fragment, header included
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("", ReportMessage());
  EXPECT_EQ(0u, DroppedBytes());
  EXPECT_TRUE(reader_->torn_tail());
  EXPECT_EQ(0u, reader_->last_record_end());
}

TEST_F(LogTest, PartialLastIsIgnored) {
  Write(BigString("bar", kBlockSize));
  ShrinkSize(1);
  EXPECT_EQ("EOF", Read());
  EXPECT_EQ("", ReportMessage());
  EXPECT_EQ(0u, DroppedBytes());
  EXPECT_TRUE(reader_->torn_tail());
}

// first(R1) last(R1) first(R2) last(R2) with the middle two fragments gone
// must not come back as one record made of first(R1) and last(R2).
TEST_F(LogTest, ErrorJoinsRecords) {
  Write(BigString("foo", kBlockSize));
  Write(BigString("bar", kBlockSize));
  Write("correct");
  for (size_t offset = kBlockSize; offset < 2 * kBlockSize; ++offset) SetByte(offset, 'x');
  EXPECT_EQ("correct", Read());
  EXPECT_EQ("EOF", Read());
  EXPECT_LE(DroppedBytes(), 2 * kBlockSize + 100);
  EXPECT_GE(DroppedBytes(), 2 * kBlockSize);
}

}  // namespace
}  // namespace atmwatch::wal
