#include "cli/wal_command.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "atmwatch/v1/ingest.pb.h"
#include "testing/temp_dir.h"
#include "wal/batch_log.h"
#include "wal/segment_dir.h"
#include "wal/snapshot_file.h"
#include "wal/wal_format.h"

namespace atmwatch::cli {
namespace {

using atmwatch::testing::TempDir;

v1::Batch MakeBatch(const std::string& source, uint64_t seq, int transactions, int statuses = 0,
                    int lines = 0, int ledgers = 0) {
  v1::Batch batch;
  batch.set_source_id(source);
  batch.set_seq(seq);
  const int64_t time = 1700000000000 + static_cast<int64_t>(seq);
  for (int i = 0; i < transactions; ++i) {
    auto* event = batch.add_events();
    event->set_time_unix_ms(time);
    event->mutable_transaction()->set_atm_id("ATM0001");
    event->mutable_transaction()->set_type(v1::AtmTransaction::WITHDRAWAL);
    event->mutable_transaction()->set_result(v1::AtmTransaction::APPROVED);
    event->mutable_transaction()->set_amount_yen(10000);
  }
  for (int i = 0; i < statuses; ++i) {
    auto* event = batch.add_events();
    event->set_time_unix_ms(time);
    event->mutable_status()->set_atm_id("ATM0001");
    event->mutable_status()->set_heartbeat(true);
  }
  for (int i = 0; i < lines; ++i) {
    auto* event = batch.add_events();
    event->set_time_unix_ms(time);
    event->mutable_line()->set_line_id("819012345678");
    event->mutable_line()->set_kind(v1::LineEvent::ATTACH);
  }
  for (int i = 0; i < ledgers; ++i) {
    auto* event = batch.add_events();
    event->set_time_unix_ms(time);
    event->mutable_ledger()->set_category(v1::LedgerEntry::COST);
    event->mutable_ledger()->set_amount_yen(5000);
  }
  return batch;
}

// A data directory the way atmwatchd leaves it: wal/ written through
// BatchLog, so the test breaks if the record framing changes, and snapshots/.
class DataDir {
 public:
  std::string path() const { return tmp_.path(); }
  std::string wal() const { return tmp_.Join("wal"); }
  std::string snapshots() const { return tmp_.Join("snapshots"); }
  std::string Segment(uint64_t first_lsn) const {
    return wal() + "/" + wal::SegmentDir::SegmentFileName(first_lsn);
  }

  void Append(const std::vector<std::string>& records, uint64_t segment_bytes = 1 << 20) {
    std::unique_ptr<wal::BatchLog> log;
    wal::SegmentDirOptions options;
    options.max_segment_bytes = segment_bytes;
    ASSERT_TRUE(wal::BatchLog::Open(wal(), options, &log).ok());
    wal::ReplayReport report;
    ASSERT_TRUE(log->Replay(
                       0, false, [](uint64_t, std::string_view) {}, &report)
                    .ok());
    for (const std::string& record : records) ASSERT_TRUE(log->Append(record).ok());
    ASSERT_TRUE(log->Commit(/*sync=*/true).ok());
  }

  void Append(const std::vector<v1::Batch>& batches, uint64_t segment_bytes = 1 << 20) {
    std::vector<std::string> records;
    for (const auto& batch : batches) records.push_back(batch.SerializeAsString());
    Append(records, segment_bytes);
  }

  void Snapshot(uint64_t lsn, std::string_view payload) {
    std::filesystem::create_directories(snapshots());
    ASSERT_TRUE(wal::WriteSnapshot(snapshots(), lsn, payload).ok());
  }

 private:
  TempDir tmp_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

CommandResult Verify(const std::string& dir) {
  std::ostringstream out, err;
  CommandResult run;
  run.exit_code = RunWalVerify(WalOptions{dir, 0}, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

CommandResult Dump(const std::string& dir, uint64_t from_lsn = 0) {
  std::ostringstream out, err;
  CommandResult run;
  run.exit_code = RunWalDump(WalOptions{dir, from_lsn}, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

// Runs of spaces made one, so checks do not depend on column widths.
std::string Squeeze(const std::string& text) {
  return std::regex_replace(text, std::regex(" +"), " ");
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void FlipByte(const std::string& path, uint64_t offset) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(static_cast<std::streamoff>(offset));
  char byte = 0;
  file.get(byte);
  file.seekp(static_cast<std::streamoff>(offset));
  file.put(static_cast<char>(byte ^ 0x20));
}

// Five batches of 4 events each: 2 transactions, 1 status, 1 line.
std::vector<v1::Batch> FiveBatches() {
  std::vector<v1::Batch> batches;
  for (uint64_t seq = 1; seq <= 3; ++seq) batches.push_back(MakeBatch("radius-1", seq, 2, 1, 1));
  for (uint64_t seq = 1; seq <= 2; ++seq) batches.push_back(MakeBatch("journal-1", seq, 2, 1, 1));
  return batches;
}

TEST(WalCommandTest, VerifyCountsEventsPerKindAndBatchesPerSource) {
  DataDir dir;
  dir.Append(FiveBatches());
  dir.Append({MakeBatch("finance", 1, 0, 0, 0, 3)});
  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalOk, run.exit_code) << run.out << run.err;
  const std::string out = Squeeze(run.out);
  EXPECT_NE(std::string::npos, out.find(" transaction 10\n")) << run.out;
  EXPECT_NE(std::string::npos, out.find(" status 5\n")) << run.out;
  EXPECT_NE(std::string::npos, out.find(" line 5\n")) << run.out;
  EXPECT_NE(std::string::npos, out.find(" ledger 3\n")) << run.out;
  EXPECT_NE(std::string::npos, out.find("batches by source (3 sources)")) << run.out;
  // Most batches first, with events and the seq range.
  const size_t radius = out.find(" radius-1 3 12 1..3\n");
  const size_t journal = out.find(" journal-1 2 8 1..2\n");
  const size_t finance = out.find(" finance 1 3 1..1\n");
  ASSERT_NE(std::string::npos, radius) << run.out;
  ASSERT_NE(std::string::npos, journal) << run.out;
  ASSERT_NE(std::string::npos, finance) << run.out;
  EXPECT_LT(radius, journal);
  EXPECT_LT(journal, finance);
  EXPECT_NE(std::string::npos, out.find("result: OK\n")) << run.out;
}

TEST(WalCommandTest, VerifyListsEachSegmentWithRecordsBytesAndLsns) {
  DataDir dir;
  // Each record is ~100 bytes: two per 150-byte segment.
  dir.Append(FiveBatches(), 150);
  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalOk, run.exit_code) << run.out;
  const std::string out = Squeeze(run.out);
  for (const uint64_t first : {1, 3, 5}) {
    const uint64_t records = first == 5 ? 1 : 2;
    const std::string name = wal::SegmentDir::SegmentFileName(first);
    const uint64_t bytes = std::filesystem::file_size(dir.Segment(first));
    EXPECT_NE(std::string::npos, out.find(fmt::format("{} {} {} {} {}\n", name, records, bytes,
                                                      first, first + records - 1)))
        << run.out;
  }
  EXPECT_NE(std::string::npos, out.find("total: 3 segments 5 ")) << run.out;
}

TEST(WalCommandTest, VerifyShowsTheTopTwentySourcesThenHowManyMore) {
  DataDir dir;
  std::vector<v1::Batch> batches;
  for (int source = 0; source < 25; ++source) {
    // source-00 sends the most batches, source-24 the fewest.
    for (int seq = 1; seq <= 30 - source; ++seq) {
      batches.push_back(MakeBatch(fmt::format("source-{:02}", source), seq, 1));
    }
  }
  dir.Append(batches);
  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalOk, run.exit_code);
  const std::string out = Squeeze(run.out);
  EXPECT_NE(std::string::npos, out.find(" source-00 30 30 1..30\n")) << run.out;
  EXPECT_NE(std::string::npos, out.find(" source-19 11 11 1..11\n")) << run.out;
  EXPECT_EQ(std::string::npos, out.find("source-20")) << run.out;
  // 10 + 9 + 8 + 7 + 6 batches from the last five.
  EXPECT_NE(std::string::npos, out.find("... 5 more sources with 40 batches")) << run.out;
}

TEST(WalCommandTest, VerifyChecksSnapshotsAndSaysWhereRecoveryStarts) {
  DataDir dir;
  dir.Append(FiveBatches());
  dir.Snapshot(2, "state at 2");
  dir.Snapshot(3, "state at 3");
  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalOk, run.exit_code) << run.out;
  const std::string out = Squeeze(run.out);
  EXPECT_NE(std::string::npos, out.find("snapshots (2)")) << run.out;
  EXPECT_NE(std::string::npos,
            out.find(fmt::format(" {} LSN 3 {} bytes ok\n", wal::SnapshotFileName(3),
                                 wal::kSnapshotHeaderSize + 10)))
      << run.out;
  EXPECT_NE(std::string::npos, out.find("recovery: snapshot LSN 3, then WAL LSN 4..5")) << run.out;
}

TEST(WalCommandTest, DamagedSnapshotIsAnError) {
  DataDir dir;
  dir.Append(FiveBatches());
  dir.Snapshot(2, "state at 2");
  dir.Snapshot(4, "state at 4");
  FlipByte(dir.snapshots() + "/" + wal::SnapshotFileName(4), wal::kSnapshotHeaderSize + 1);
  std::ofstream(dir.snapshots() + "/" + wal::SnapshotFileName(9) + ".tmp") << "half";
  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalCorrupt, run.exit_code) << run.out;
  const std::string out = Squeeze(run.out);
  EXPECT_NE(std::string::npos, out.find("LSN 4 46 bytes DAMAGED: payload checksum mismatch"))
      << run.out;
  EXPECT_NE(std::string::npos, out.find(wal::SnapshotFileName(9) + ".tmp leftover")) << run.out;
  EXPECT_NE(std::string::npos, out.find("recovery: snapshot LSN 2, then WAL LSN 3..5")) << run.out;
  EXPECT_NE(std::string::npos, out.find("ERROR " + dir.snapshots() + "/" +
                                        wal::SnapshotFileName(4) + ": payload checksum mismatch"))
      << run.out;
}

// Offsets of each record, as dump reports them.
std::vector<uint64_t> RecordOffsets(const std::string& dir) {
  std::vector<uint64_t> offsets;
  const std::regex offset_field(R"("offset":(\d+))");
  for (const std::string& line : Lines(Dump(dir).out)) {
    std::smatch match;
    if (std::regex_search(line, match, offset_field)) offsets.push_back(std::stoull(match[1]));
  }
  return offsets;
}

TEST(WalCommandTest, FlippedByteInTheMiddleIsAnErrorWithFileAndOffset) {
  DataDir dir;
  dir.Append(FiveBatches(), 150);  // segments at LSN 1, 3, 5
  const std::vector<uint64_t> offsets = RecordOffsets(dir.path());
  ASSERT_EQ(5u, offsets.size());
  // LSN 2 is the second record of the first segment.
  const uint64_t damaged = offsets[1];
  FlipByte(dir.Segment(1), damaged + wal::kHeaderSize + 20);

  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalCorrupt, run.exit_code) << run.out;
  const std::string at = dir.Segment(1) + ":" + std::to_string(damaged);
  EXPECT_NE(std::string::npos, Squeeze(run.out).find("ERROR " + at + ": checksum mismatch"))
      << run.out;
  EXPECT_NE(std::string::npos, run.out.find("LSNs 2..2 are missing before this record")) << run.out;
  EXPECT_NE(std::string::npos, run.out.find("result: CORRUPT, 1 error, 1 warning")) << run.out;
  // The records around the damage are still counted.
  EXPECT_NE(std::string::npos, Squeeze(run.out).find(" transaction 8\n")) << run.out;

  const CommandResult dump = Dump(dir.path());
  EXPECT_EQ(kWalCorrupt, dump.exit_code);
  EXPECT_EQ(4u, Lines(dump.out).size());
  EXPECT_NE(std::string::npos, dump.err.find("error: " + at + ": checksum mismatch")) << dump.err;
}

TEST(WalCommandTest, TornTailIsOnlyAWarning) {
  DataDir dir;
  dir.Append(FiveBatches(), 150);
  const std::string newest = dir.Segment(5);
  const uint64_t size = std::filesystem::file_size(newest);
  std::filesystem::resize_file(newest, size - 3);

  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalOk, run.exit_code) << run.out;
  EXPECT_NE(std::string::npos,
            run.out.find("WARNING " + newest + ":0: torn tail, " + std::to_string(size - 3) +
                         " bytes after the last whole record (normal after a crash"))
      << run.out;
  EXPECT_NE(std::string::npos, run.out.find("result: OK with 1 warning")) << run.out;

  const CommandResult dump = Dump(dir.path());
  EXPECT_EQ(kWalOk, dump.exit_code);
  EXPECT_EQ(4u, Lines(dump.out).size());
  EXPECT_NE(std::string::npos, dump.err.find("warning: " + newest + ":0: torn tail")) << dump.err;
}

TEST(WalCommandTest, TruncatedOlderSegmentIsAnError) {
  DataDir dir;
  dir.Append(FiveBatches(), 150);
  const std::string older = dir.Segment(3);
  std::filesystem::resize_file(older, std::filesystem::file_size(older) - 3);
  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalCorrupt, run.exit_code) << run.out;
  // Cut inside the payload of LSN 4: no torn tail, as the segment is not
  // the newest.
  EXPECT_NE(std::string::npos, Squeeze(run.out).find("ERROR " + older + ":")) << run.out;
  EXPECT_NE(std::string::npos, run.out.find(": bad record length,")) << run.out;
  EXPECT_NE(std::string::npos, run.out.find("LSNs 4..4 are missing")) << run.out;
}

// The daemon's rule, in the tool: damage in the newest segment's last block
// with whole records after it is an error, not a torn tail.
TEST(WalCommandTest, DamageInTheLastBlockWithRecordsAfterItIsAnError) {
  DataDir dir;
  dir.Append(FiveBatches());
  const std::vector<uint64_t> offsets = RecordOffsets(dir.path());
  ASSERT_EQ(5u, offsets.size());
  FlipByte(dir.Segment(1), offsets[2] + wal::kHeaderSize + 20);

  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalCorrupt, run.exit_code) << run.out;
  EXPECT_NE(std::string::npos,
            Squeeze(run.out).find("ERROR " + dir.Segment(1) + ":" + std::to_string(offsets[2]) +
                                  ": checksum mismatch"))
      << run.out;
  EXPECT_EQ(std::string::npos, run.out.find("torn tail")) << run.out;
  // The two records after the damage are still read.
  EXPECT_NE(std::string::npos, Squeeze(run.out).find(" transaction 8\n")) << run.out;
}

// Zeros after the last record, as a crash after the file grew leaves them.
TEST(WalCommandTest, ZeroFilledTailIsOnlyAWarning) {
  DataDir dir;
  dir.Append(FiveBatches());
  const std::string segment = dir.Segment(1);
  const uint64_t size = std::filesystem::file_size(segment);
  std::filesystem::resize_file(segment, size + 3000);
  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalOk, run.exit_code) << run.out;
  EXPECT_NE(std::string::npos, run.out.find("WARNING " + segment + ":" + std::to_string(size) +
                                            ": torn tail, 3000 bytes"))
      << run.out;
}

// After a write error the log holds a probe record: no batch, no source.
TEST(WalCommandTest, ProbeRecordIsNotABatch) {
  DataDir dir;
  dir.Append(FiveBatches());
  dir.Append(std::vector<std::string>{""});
  dir.Append({MakeBatch("radius-1", 4, 1)});
  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalOk, run.exit_code) << run.out;
  const std::string out = Squeeze(run.out);
  EXPECT_NE(std::string::npos, out.find("batches by source (2 sources)")) << run.out;
  EXPECT_NE(std::string::npos, out.find("1 of them probe records")) << run.out;
  EXPECT_NE(std::string::npos, out.find(" radius-1 4 13 1..4\n")) << run.out;

  const CommandResult dump = Dump(dir.path());
  EXPECT_EQ(kWalOk, dump.exit_code) << dump.err;
  EXPECT_EQ(6u, Lines(dump.out).size()) << dump.out;
  EXPECT_EQ(std::string::npos, dump.out.find(R"("lsn":6,)")) << dump.out;
}

TEST(WalCommandTest, ControlCharactersInSourceIdsAreEscaped) {
  DataDir dir;
  dir.Append({MakeBatch("evil\nresult: OK", 1, 1), MakeBatch("tab\there\\\x01", 1, 1)});
  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalOk, run.exit_code) << run.out;
  const std::string out = Squeeze(run.out);
  EXPECT_NE(std::string::npos, out.find(" evil\\nresult: OK 1 1 1..1\n")) << run.out;
  EXPECT_NE(std::string::npos, out.find(" tab\\there\\\\\\x01 1 1 1..1\n")) << run.out;
  int result_lines = 0;
  for (const std::string& line : Lines(run.out)) result_lines += line.starts_with("result:");
  EXPECT_EQ(1, result_lines) << run.out;
}

TEST(WalCommandTest, RecordThatIsNotABatchIsAnError) {
  DataDir dir;
  dir.Append(FiveBatches());
  // Field 1, length 127, with 1 byte of data.
  dir.Append(std::vector<std::string>{std::string("\x0a\x7f\x01", 3)});
  const std::vector<uint64_t> offsets = RecordOffsets(dir.path());
  ASSERT_EQ(5u, offsets.size());
  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalCorrupt, run.exit_code);
  EXPECT_NE(std::string::npos, run.out.find(dir.Segment(1) + ":")) << run.out;
  EXPECT_NE(std::string::npos, run.out.find(": record of 3 bytes is not an atmwatch.v1.Batch"))
      << run.out;
}

TEST(WalCommandTest, DumpPrintsOneJsonLinePerRecord) {
  DataDir dir;
  const std::vector<v1::Batch> batches = FiveBatches();
  dir.Append(batches, 150);
  const CommandResult run = Dump(dir.path());
  EXPECT_EQ(kWalOk, run.exit_code) << run.err;
  EXPECT_EQ("", run.err);
  const std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(5u, lines.size());
  const std::regex shape(
      R"re(^\{"lsn":(\d+),"segment":"(wal-\d{20}\.log)","offset":(\d+),"batch":(\{.*\})\}$)re");
  const std::vector<uint64_t> segment_of = {1, 1, 3, 3, 5};
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch match;
    ASSERT_TRUE(std::regex_match(lines[i], match, shape)) << lines[i];
    EXPECT_EQ(std::to_string(i + 1), match[1]);
    EXPECT_EQ(wal::SegmentDir::SegmentFileName(segment_of[i]), match[2]);
    v1::Batch parsed;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(match[4].str(), &parsed).ok());
    EXPECT_EQ(batches[i].SerializeAsString(), parsed.SerializeAsString()) << lines[i];
  }
  EXPECT_NE(std::string::npos,
            lines[0].find(R"("offset":0,"batch":{"sourceId":"radius-1","seq":"1")"))
      << lines[0];
}

TEST(WalCommandTest, DumpFromLsnSkipsEarlierRecords) {
  DataDir dir;
  dir.Append(FiveBatches(), 150);
  const CommandResult run = Dump(dir.path(), 4);
  EXPECT_EQ(kWalOk, run.exit_code);
  const std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(2u, lines.size());
  EXPECT_TRUE(lines[0].starts_with(R"({"lsn":4,)")) << lines[0];
  EXPECT_TRUE(lines[1].starts_with(R"({"lsn":5,)")) << lines[1];
  EXPECT_TRUE(Dump(dir.path(), 6).out.empty());
}

TEST(WalCommandTest, AcceptsTheWalDirectoryItself) {
  DataDir dir;
  dir.Append(FiveBatches());
  dir.Snapshot(2, "state");
  const CommandResult run = Verify(dir.wal() + "/");
  EXPECT_EQ(kWalOk, run.exit_code) << run.out << run.err;
  EXPECT_NE(std::string::npos, Squeeze(run.out).find(" LSN 2 41 bytes ok\n")) << run.out;
  EXPECT_EQ(5u, Lines(Dump(dir.wal()).out).size());
}

TEST(WalCommandTest, EmptyDataDirectoryIsFine) {
  DataDir dir;
  std::filesystem::create_directory(dir.wal());
  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalOk, run.exit_code) << run.out << run.err;
  EXPECT_NE(std::string::npos, run.out.find("recovery: empty state (no valid snapshot)"))
      << run.out;
  EXPECT_EQ(kWalOk, Dump(dir.path()).exit_code);
}

TEST(WalCommandTest, MissingOrForeignDirectoryIsBadUsage) {
  TempDir tmp;
  const std::string missing = tmp.Join("nope");
  CommandResult run = Verify(missing);
  EXPECT_EQ(kWalBadUsage, run.exit_code);
  EXPECT_EQ("atmwatch wal verify: " + missing + ": no such directory\n", run.err);
  EXPECT_EQ(kWalBadUsage, Dump(missing).exit_code);
  run = Verify(tmp.path());
  EXPECT_EQ(kWalBadUsage, run.exit_code);
  EXPECT_NE(std::string::npos, run.err.find("not an atmwatch data directory")) << run.err;
}

TEST(WalCommandTest, WalMissingRecordsAfterTheSnapshotIsAWarning) {
  DataDir dir;
  dir.Append(FiveBatches(), 150);
  std::filesystem::remove(dir.Segment(1));
  std::filesystem::remove(dir.Segment(3));
  dir.Snapshot(2, "state");
  const CommandResult run = Verify(dir.path());
  EXPECT_EQ(kWalOk, run.exit_code) << run.out;
  EXPECT_NE(std::string::npos,
            run.out.find("WARNING LSNs 3..4 are in no valid snapshot and no WAL segment"))
      << run.out;
}

}  // namespace
}  // namespace atmwatch::cli
