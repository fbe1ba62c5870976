#include "journal/journal_state.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "journal/state_file.h"
#include "testing/temp_dir.h"

namespace atmwatch::journal {
namespace {

JournalState Sample() {
  JournalState state;
  state.source_id = "atmwatch-journal-host 1";
  state.next_seq = 42;
  state.files.push_back({{2049, 12345}, "/var/spool/atm/a.csv", 8814, 120});
  state.files.push_back({{2049, 777}, "/var/spool/atm/odd%name\nwith newline.csv", 0, 0});
  PendingRound pending;
  pending.first_seq = 42;
  pending.batches = 3;
  pending.batch_events = 1000;
  pending.segments.push_back({{2049, 12345}, 8814, 90210});
  pending.segments.push_back({{2049, 777}, 0, 55});
  state.pending = pending;
  return state;
}

void ExpectSame(const JournalState& a, const JournalState& b) {
  EXPECT_EQ(a.source_id, b.source_id);
  EXPECT_EQ(a.next_seq, b.next_seq);
  ASSERT_EQ(a.files.size(), b.files.size());
  for (std::size_t i = 0; i < a.files.size(); ++i) {
    EXPECT_EQ(a.files[i].key, b.files[i].key);
    EXPECT_EQ(a.files[i].path, b.files[i].path);
    EXPECT_EQ(a.files[i].offset, b.files[i].offset);
    EXPECT_EQ(a.files[i].lines, b.files[i].lines);
  }
  ASSERT_EQ(a.pending.has_value(), b.pending.has_value());
  if (a.pending) {
    EXPECT_EQ(a.pending->first_seq, b.pending->first_seq);
    EXPECT_EQ(a.pending->batches, b.pending->batches);
    EXPECT_EQ(a.pending->batch_events, b.pending->batch_events);
    EXPECT_EQ(a.pending->segments, b.pending->segments);
  }
}

TEST(JournalState, RoundTripKeepsEverythingIncludingOddPaths) {
  const JournalState state = Sample();
  Result<JournalState, std::string> parsed = ParseState(SerializeState(state));
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ExpectSame(state, *parsed);
}

TEST(JournalState, WithoutPendingRoundTrips) {
  JournalState state = Sample();
  state.pending.reset();
  Result<JournalState, std::string> parsed = ParseState(SerializeState(state));
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ExpectSame(state, *parsed);
}

TEST(JournalState, CutShortOrDamagedFilesAreRefused) {
  const std::string text = SerializeState(Sample());
  EXPECT_FALSE(ParseState(text.substr(0, text.size() - 4)).ok());  // no end line
  EXPECT_FALSE(ParseState(text.substr(0, text.size() - 1)).ok());  // no final newline
  EXPECT_FALSE(ParseState("").ok());
  EXPECT_FALSE(ParseState("something else 1\nend\n").ok());
  std::string damaged = text;
  damaged.replace(damaged.find("next_seq 42"), 11, "next_seq x2");
  EXPECT_FALSE(ParseState(damaged).ok());
  EXPECT_FALSE(ParseState(text + "file 1 2 3 4 /x\n").ok());  // after end
}

class StateFileTest : public ::testing::Test {
 protected:
  atmwatch::testing::TempDir temp_{"journal-state-test"};
  const std::filesystem::path dir_ = temp_.path();
};

TEST_F(StateFileTest, MissingFileIsNotAnError) {
  JournalState state;
  bool exists = true;
  ASSERT_TRUE(ReadStateFile((dir_ / "state").string(), &state, &exists).ok());
  EXPECT_FALSE(exists);
}

TEST_F(StateFileTest, WriteThenReadRoundTripsAndLeavesNoTemporary) {
  const std::string path = (dir_ / "state").string();
  ASSERT_TRUE(WriteStateFile(path, Sample()).ok());
  JournalState second = Sample();
  second.next_seq = 45;
  second.pending.reset();
  ASSERT_TRUE(WriteStateFile(path, second).ok());
  JournalState read;
  bool exists = false;
  ASSERT_TRUE(ReadStateFile(path, &read, &exists).ok());
  EXPECT_TRUE(exists);
  ExpectSame(second, read);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_F(StateFileTest, AFailedWriteLeavesTheOldStateInPlace) {
  const std::string path = (dir_ / "state").string();
  ASSERT_TRUE(WriteStateFile(path, Sample()).ok());
  // The temporary cannot be created: a directory stands in its way.
  std::filesystem::create_directory(path + ".tmp");
  JournalState next = Sample();
  next.next_seq = 99;
  EXPECT_FALSE(WriteStateFile(path, next).ok());
  JournalState read;
  bool exists = false;
  ASSERT_TRUE(ReadStateFile(path, &read, &exists).ok());
  EXPECT_EQ(read.next_seq, 42u);
}

TEST_F(StateFileTest, ADamagedFileIsAnErrorNamingThePath) {
  const std::string path = (dir_ / "state").string();
  std::ofstream(path) << "atmwatch-journal-state 1\nsource_id x\n";
  JournalState read;
  bool exists = false;
  const Status status = ReadStateFile(path, &read, &exists);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find(path), std::string::npos);
}

}  // namespace
}  // namespace atmwatch::journal
