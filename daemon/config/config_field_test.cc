#include "config/config_field.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace atmwatch::config {
namespace {

using ::testing::HasSubstr;

const FieldReader kFields("site.yaml");

TEST(FieldReaderTest, ErrorStartsWithFileLineAndPath) {
  YAML::Node root = YAML::Load("a: 1\nb: 2\n");
  EXPECT_EQ(kFields.Error(root["b"], "b", "too big; write 1").message(),
            "site.yaml:2: b: too big; write 1");
}

TEST(FieldReaderTest, NodeWithoutPositionHasLineZero) {
  YAML::Node built;
  built["x"] = 1;
  EXPECT_THAT(kFields.Error(built["x"], "x", "p").message(), HasSubstr("site.yaml:0: x: p"));
}

TEST(FieldReaderTest, UnknownKeySuggestsTheNearestKnownOne) {
  YAML::Node root = YAML::Load("listen: x\nmax_frame_byts: 3\n");
  const Status status = kFields.CheckMapKeys(root, "ingest", {"listen", "max_frame_bytes"});
  EXPECT_EQ(status.message(),
            "site.yaml:2: ingest.max_frame_byts: unknown key; did you mean 'max_frame_bytes'? "
            "known keys here: listen, max_frame_bytes");
}

TEST(FieldReaderTest, ControlBytesInAKeyAreEscapedSoTheProblemStaysOneLine) {
  YAML::Node root = YAML::Load(std::string("\"site\\nlist\": x\n"));
  const Status status = kFields.CheckMapKeys(root, "atms[0]", {"site"});
  EXPECT_THAT(status.message(),
              ::testing::StartsWith("site.yaml:1: atms[0].site\\x0alist: unknown key"));
  EXPECT_EQ(status.message().find('\n'), std::string::npos);
}

TEST(FieldReaderTest, FarAwayKeyGetsNoSuggestion) {
  YAML::Node root = YAML::Load("colour: red\n");
  const Status status = kFields.CheckMapKeys(root, "", {"listen"});
  EXPECT_THAT(status.message(), HasSubstr("site.yaml:1: colour: unknown key; known keys here"));
  EXPECT_THAT(status.message(), ::testing::Not(HasSubstr("did you mean")));
}

TEST(FieldReaderTest, EveryUnknownKeyOfAMapIsNamed) {
  YAML::Node root = YAML::Load("lisen: x\nmax_frame_byts: 3\n");
  EXPECT_EQ(kFields.CheckMapKeys(root, "ingest", {"listen", "max_frame_bytes"}).message(),
            "site.yaml:1: ingest.lisen: unknown key; did you mean 'listen'? known keys here: "
            "listen, max_frame_bytes\n"
            "site.yaml:2: ingest.max_frame_byts: unknown key; did you mean 'max_frame_bytes'? "
            "known keys here: listen, max_frame_bytes");
}

TEST(FieldReaderTest, WithProblemsUnknownKeysAreRecordedAndReadingGoesOn) {
  ConfigProblems problems;
  const FieldReader fields("site.yaml", &problems);
  YAML::Node root = YAML::Load("colour: red\nlisten: x\n");
  EXPECT_TRUE(fields.CheckMapKeys(root, "", {"listen"}).ok());
  EXPECT_THAT(problems.status().message(), HasSubstr("site.yaml:1: colour: unknown key"));
  // Not a map at all: nothing to go on with.
  EXPECT_FALSE(fields.CheckMapKeys(YAML::Load("[1]"), "ingest", {"listen"}).ok());
}

TEST(ConfigProblemsTest, ListsEachProblemOnceInTheOrderOfTheFile) {
  ConfigProblems problems;
  EXPECT_TRUE(problems.Add(Status::Ok()));
  EXPECT_TRUE(problems.status().ok());
  EXPECT_FALSE(problems.Add(Status::Error("a.yaml:12: x: bad")));
  EXPECT_FALSE(problems.Add(Status::Error("a.yaml:3: y: bad\na.yaml:12: x: bad")));
  EXPECT_FALSE(problems.Add(Status::Error("a.yaml:3: z: bad")));
  EXPECT_EQ(problems.status().message(), "a.yaml:3: y: bad\na.yaml:3: z: bad\na.yaml:12: x: bad");
}

TEST(FieldReaderTest, DuplicateKeyIsRefused) {
  YAML::Node root = YAML::Load("a: 1\na: 2\n");
  EXPECT_THAT(kFields.CheckMapKeys(root, "top", {"a"}).message(),
              HasSubstr("site.yaml:2: top.a: key given twice"));
}

TEST(FieldReaderTest, IntegersAreCheckedForShapeAndRange) {
  YAML::Node root = YAML::Load("n: 12x\nm: 13\nk: 7\n");
  int64_t value = 0;
  EXPECT_THAT(kFields.ReadInteger(root["n"], "n", &value).message(),
              HasSubstr("site.yaml:1: n: '12x' is not a whole number"));
  EXPECT_THAT(kFields.ReadIntegerIn(root["m"], "m", 1, 12, &value).message(),
              HasSubstr("site.yaml:2: m: 13 is out of range; use 1..12"));
  ASSERT_TRUE(kFields.ReadIntegerIn(root["k"], "k", 1, 12, &value).ok());
  EXPECT_EQ(value, 7);
}

TEST(FieldReaderTest, ScalarsAndListsAreTold) {
  YAML::Node root = YAML::Load("s: [1]\nl: 3\nb: yes\n");
  std::string text;
  bool flag = false;
  EXPECT_THAT(kFields.ReadScalar(root["s"], "s", &text).message(),
              HasSubstr("s: expected a single value, found a list"));
  EXPECT_THAT(kFields.CheckSequence(root["l"], "l", "a date").message(),
              HasSubstr("l: expected a list with a date per item, found a single value"));
  EXPECT_THAT(kFields.ReadBool(root["b"], "b", &flag).message(),
              HasSubstr("b: 'yes' is not true or false"));
}

// An inventory id, site or carrier goes into the engine's snapshot as a
// protobuf string; one that is not UTF-8 (a file saved as Shift_JIS) made a
// snapshot that could not be read back, so atmwatchd would not start again.
TEST(FieldReaderTest, ScalarsMustBeUtf8) {
  YAML::Node root =
      YAML::Load("site: \"\x83\x70\x81\x5b\x83\x89\"\nok: \"\xe6\x96\xb0\xe5\xae\xbf\"\n");
  std::string text;
  EXPECT_THAT(kFields.ReadScalar(root["site"], "atms[0].site", &text).message(),
              HasSubstr("site.yaml:1: atms[0].site: the value is not valid UTF-8"));
  ASSERT_TRUE(kFields.ReadScalar(root["ok"], "ok", &text).ok());
  EXPECT_EQ(text, "\xe6\x96\xb0\xe5\xae\xbf");
  EXPECT_FALSE(kFields.ReadNonEmpty(root["site"], "site", "Parlor", &text).ok());
}

TEST(FieldReaderTest, NonEmptyRefusesEmptyAndAbsentValues) {
  YAML::Node root = YAML::Load("a: \"\"\nb:\nc: [x]\nd: ok\n");
  std::string text = "kept";
  EXPECT_EQ(kFields.ReadNonEmpty(root["a"], "a", "127.0.0.1:7420", &text).message(),
            "site.yaml:1: a: must not be empty; write e.g. 127.0.0.1:7420");
  // yaml-cpp places an absent value at the token after it, so no line is pinned.
  EXPECT_THAT(kFields.ReadNonEmpty(root["b"], "b", "x", &text).message(),
              HasSubstr(": b: must not be empty; write e.g. x"));
  EXPECT_THAT(kFields.ReadNonEmpty(root["c"], "c", "x", &text).message(),
              HasSubstr("site.yaml:3: c: expected a single value, found a list"));
  EXPECT_EQ(text, "kept");
  ASSERT_TRUE(kFields.ReadNonEmpty(root["d"], "d", "x", &text).ok());
  EXPECT_EQ(text, "ok");
}

TEST(FieldReaderTest, PositiveDurationsTakeAUnit) {
  YAML::Node root = YAML::Load("a: 250ms\nb: 2m\nc: 1d\nd: 30\ne: 0s\nf: -5s\ng: soon\n");
  std::chrono::milliseconds value{7};
  ASSERT_TRUE(kFields.ReadPositiveDuration(root["a"], "a", &value).ok());
  EXPECT_EQ(value, std::chrono::milliseconds(250));
  ASSERT_TRUE(kFields.ReadPositiveDuration(root["b"], "b", &value).ok());
  EXPECT_EQ(value, std::chrono::minutes(2));
  ASSERT_TRUE(kFields.ReadPositiveDuration(root["c"], "c", &value).ok());
  EXPECT_EQ(value, std::chrono::hours(24));
  EXPECT_EQ(kFields.ReadPositiveDuration(root["d"], "d", &value).message(),
            "site.yaml:4: d: '30' is not a positive duration; write e.g. 30s, 2m or 250ms");
  EXPECT_THAT(kFields.ReadPositiveDuration(root["e"], "e", &value).message(),
              HasSubstr("site.yaml:5: e: '0s' is not a positive duration"));
  EXPECT_THAT(kFields.ReadPositiveDuration(root["f"], "f", &value).message(),
              HasSubstr("site.yaml:6: f: '-5s' is not a positive duration"));
  EXPECT_THAT(kFields.ReadPositiveDuration(root["g"], "g", &value).message(),
              HasSubstr("site.yaml:7: g: 'soon' is not a positive duration"));
  EXPECT_EQ(value, std::chrono::hours(24));  // failed reads leave it alone
}

TEST(FieldReaderTest, IpAddressesAreLiteralsAndNormalised) {
  YAML::Node root =
      YAML::Load("a: 10.1.0.7\nb: \"::0001\"\nc: nas.example\nd: 10.0.0.0/8\ne: [1]\n");
  std::string address = "kept";
  ASSERT_TRUE(kFields.ReadIpAddress(root["a"], "a", &address).ok());
  EXPECT_EQ(address, "10.1.0.7");
  ASSERT_TRUE(kFields.ReadIpAddress(root["b"], "b", &address).ok());
  EXPECT_EQ(address, "::1");
  EXPECT_THAT(kFields.ReadIpAddress(root["c"], "c", &address).message(),
              HasSubstr("site.yaml:3: c: 'nas.example' is not an IP address; write"));
  EXPECT_THAT(kFields.ReadIpAddress(root["d"], "d", &address).message(),
              HasSubstr("site.yaml:4: d: '10.0.0.0/8' is not an IP address"));
  EXPECT_THAT(kFields.ReadIpAddress(root["e"], "e", &address).message(),
              HasSubstr("site.yaml:5: e: expected a single value"));
  EXPECT_EQ(address, "::1");
}

TEST(FieldReaderTest, SizesAreWholeNumbersInRange) {
  YAML::Node root = YAML::Load("a: 64\nb: 0\nc: many\n");
  std::size_t size = 7;
  ASSERT_TRUE(kFields.ReadSize(root["a"], "a", 1, 100, &size).ok());
  EXPECT_EQ(size, 64u);
  EXPECT_EQ(kFields.ReadSize(root["b"], "b", 1, 100, &size).message(),
            "site.yaml:2: b: 0 is out of range; use 1..100");
  EXPECT_THAT(kFields.ReadSize(root["c"], "c", 1, 100, &size).message(),
              HasSubstr("site.yaml:3: c: 'many' is not a whole number"));
  EXPECT_EQ(size, 64u);
}

TEST(FieldReaderTest, DurationsMayBeZeroUnlessBounded) {
  YAML::Node root = YAML::Load("a: 400d\nb: 0\nc: 40x\nd: 2h\n");
  std::int64_t ms = -1;
  ASSERT_TRUE(kFields.ReadDuration(root["a"], "a", &ms).ok());
  EXPECT_EQ(ms, 400LL * 86400000);
  ASSERT_TRUE(kFields.ReadDuration(root["b"], "b", &ms).ok());
  EXPECT_EQ(ms, 0);
  EXPECT_EQ(kFields.ReadDuration(root["c"], "c", &ms).message(),
            "site.yaml:3: c: '40x' is not a duration; write e.g. 400d, 12h, 30m, 45s, 250ms or 0");
  ASSERT_TRUE(kFields.ReadDurationUpTo(root["d"], "d", 3 * 3600 * 1000, &ms).ok());
  EXPECT_EQ(ms, 2 * 3600 * 1000);
  EXPECT_EQ(kFields.ReadDurationUpTo(root["d"], "d", 3600 * 1000, &ms).message(),
            "site.yaml:4: d: must be above 0 and at most 3600s; write e.g. 5m");
  EXPECT_EQ(kFields.ReadDurationUpTo(root["b"], "b", 3600 * 1000, &ms).message(),
            "site.yaml:2: b: must be above 0 and at most 3600s; write e.g. 5m");
  EXPECT_EQ(ms, 2 * 3600 * 1000);  // failed reads leave it alone
}

TEST(FieldReaderTest, ByteSizesTakeBinaryUnitsAndAMinimum) {
  YAML::Node root = YAML::Load("a: 4MiB\nb: 4MB\nc: 512\n");
  std::size_t bytes = 0;
  ASSERT_TRUE(kFields.ReadByteSize(root["a"], "a", 1024, &bytes).ok());
  EXPECT_EQ(bytes, 4u << 20);
  EXPECT_EQ(kFields.ReadByteSize(root["b"], "b", 0, &bytes).message(),
            "site.yaml:2: b: '4MB' is not a byte size; write e.g. 4194304, 64KiB or 4MiB");
  EXPECT_EQ(kFields.ReadByteSize(root["c"], "c", 1024, &bytes).message(),
            "site.yaml:3: c: 512 bytes is too small; write at least 1024");
}

TEST(FieldReaderTest, DatesAreStrictCalendarDays) {
  YAML::Node root = YAML::Load("a: 2010-04-01\nb: 2010-02-30\nc: 1.4.2010\n");
  std::chrono::year_month_day date;
  ASSERT_TRUE(kFields.ReadDate(root["a"], "a", &date).ok());
  EXPECT_EQ(date, std::chrono::year(2010) / 4 / 1);
  EXPECT_THAT(kFields.ReadDate(root["b"], "b", &date).message(),
              HasSubstr("site.yaml:2: b: \"2010-02-30\" is not a day of the calendar"));
  EXPECT_THAT(kFields.ReadDate(root["c"], "c", &date).message(),
              HasSubstr("site.yaml:3: c: \"1.4.2010\" is not a date; write YYYY-MM-DD"));
  EXPECT_EQ(date, std::chrono::year(2010) / 4 / 1);
}

TEST(FieldReaderTest, HostPortIsKeptAsWritten) {
  YAML::Node root = YAML::Load("a: \"[::1]:7420\"\nb: localhost:9742\nc: localhost\n");
  std::string address = "kept";
  ASSERT_TRUE(kFields.ReadHostPort(root["a"], "a", &address).ok());
  EXPECT_EQ(address, "[::1]:7420");
  ASSERT_TRUE(kFields.ReadHostPort(root["b"], "b", &address).ok());
  EXPECT_EQ(address, "localhost:9742");
  EXPECT_EQ(kFields.ReadHostPort(root["c"], "c", &address).message(),
            "site.yaml:3: c: 'localhost' is not HOST:PORT; write e.g. 127.0.0.1:7420");
  EXPECT_EQ(address, "localhost:9742");
}

TEST(DurationTest, Units) {
  std::int64_t ms = -1;
  EXPECT_TRUE(ParseDurationMs("400d", &ms));
  EXPECT_EQ(ms, 400LL * 86400000);
  EXPECT_TRUE(ParseDurationMs("250ms", &ms));
  EXPECT_EQ(ms, 250);
  EXPECT_TRUE(ParseDurationMs("0", &ms));
  EXPECT_EQ(ms, 0);
  EXPECT_FALSE(ParseDurationMs("5", &ms));
  EXPECT_FALSE(ParseDurationMs("-5s", &ms));
  EXPECT_FALSE(ParseDurationMs("5 s", &ms));
}

}  // namespace
}  // namespace atmwatch::config
