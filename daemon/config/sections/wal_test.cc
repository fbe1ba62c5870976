#include "config/sections/wal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "config/sections/section_testing.h"

namespace atmwatch::config {
namespace {

using ::testing::HasSubstr;

Status ReadText(const std::string& yaml, DaemonConfig::Wal* wal) {
  return ReadSectionText(yaml, [&](const FieldReader& fields, const YAML::Node& root) {
    return ReadWal(fields, root["wal"], wal);
  });
}

std::string ErrorOf(const std::string& yaml) {
  DaemonConfig::Wal wal;
  return ErrorText(ReadText(yaml, &wal));
}

TEST(WalSectionTest, KeysAreRead) {
  DaemonConfig::Wal wal;
  const Status status = ReadText(R"(
wal:
  fsync: false
  commit_delay: 2ms
  group_bytes: 1MiB
  segment_bytes: 16MiB
  min_free_bytes: 0
  strict: true
  snapshot_interval: 5m
  snapshot_every_records: 1000
)",
                                 &wal);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_FALSE(wal.fsync);
  EXPECT_EQ(wal.commit_delay_us, 2000);
  EXPECT_EQ(wal.group_bytes, 1u << 20);
  EXPECT_EQ(wal.segment_bytes, 16u << 20);
  EXPECT_EQ(wal.min_free_bytes, 0u);
  EXPECT_TRUE(wal.strict);
  EXPECT_EQ(wal.snapshot_interval_ms, 300000);
  EXPECT_EQ(wal.snapshot_every_records, 1000u);
}

TEST(WalSectionTest, MistakesNameKeyAndFix) {
  EXPECT_EQ(ErrorOf("wal: {commit_delay: 2s}\n"),
            "atmwatch.yaml:1: wal.commit_delay: is longer than 1s, so acks would wait that long; "
            "write 1s or less");
  EXPECT_EQ(ErrorOf("wal: {group_bytes: 1KiB}\n"),
            "atmwatch.yaml:1: wal.group_bytes: 1024 bytes is too small; write at least 4096");
  EXPECT_EQ(ErrorOf("wal: {snapshot_interval: 500ms}\n"),
            "atmwatch.yaml:1: wal.snapshot_interval: is too short; write at least 1s");
  EXPECT_THAT(ErrorOf("wal:\n  fsnyc: false\n"),
              HasSubstr("atmwatch.yaml:2: wal.fsnyc: unknown key; did you mean 'fsync'?"));
  EXPECT_THAT(ErrorOf("wal: {strict: maybe}\n"),
              HasSubstr("wal.strict: 'maybe' is not true or false"));
}

}  // namespace
}  // namespace atmwatch::config
