#include "config/config_field.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

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

TEST(FieldReaderTest, FarAwayKeyGetsNoSuggestion) {
  YAML::Node root = YAML::Load("colour: red\n");
  const Status status = kFields.CheckMapKeys(root, "", {"listen"});
  EXPECT_THAT(status.message(), HasSubstr("site.yaml:1: colour: unknown key; known keys here"));
  EXPECT_THAT(status.message(), ::testing::Not(HasSubstr("did you mean")));
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

}  // namespace
}  // namespace atmwatch::config
