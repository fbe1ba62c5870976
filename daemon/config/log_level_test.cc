#include "config/log_level.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "config/daemon_config.h"

namespace atmwatch::config {
namespace {

using ::testing::HasSubstr;

Status Read(const std::string& yaml, std::string* out) {
  const FieldReader fields("x.yaml");
  return ReadLogLevel(fields, YAML::Load(yaml)["log_level"], "log_level", out);
}

TEST(LogLevelTest, AcceptsEveryLevelTheDaemonAndTheCollectorsAccepted) {
  for (const char* level : {"trace", "debug", "info", "warn", "error", "critical"}) {
    std::string out = "info";
    EXPECT_TRUE(Read(std::string("log_level: ") + level, &out).ok()) << level;
    EXPECT_EQ(out, level);
  }
}

TEST(LogLevelTest, RefusesAnythingElseNamingTheChoices) {
  std::string out = "info";
  const Status status = Read("log_level: loud", &out);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("log_level: 'loud' is not a level; use trace, debug, "
                                          "info, warn, error or critical"));
  EXPECT_EQ(out, "info");
  EXPECT_FALSE(Read("log_level: [info]", &out).ok());
  EXPECT_FALSE(Read("log_level: ''", &out).ok());
}

TEST(LogLevelTest, TheDaemonsLogLevelKeyIsReadWithIt) {
  DaemonConfig config;
  const Status status = ParseConfig("log_level: loud", "atmwatch.yaml", &config);
  EXPECT_THAT(status.message(), HasSubstr("log_level: 'loud' is not a level"));
}

}  // namespace
}  // namespace atmwatch::config
