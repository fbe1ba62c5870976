#include "cli/nearest_name.h"

#include <gtest/gtest.h>

namespace atmwatch::cli {
namespace {

const std::vector<std::string> kSubcommands = {"send",   "add-stream", "sim",
                                               "report", "wal",        "version"};

TEST(NearestNameTest, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(EditDistance("send", "send"), 0);
  EXPECT_EQ(EditDistance("snd", "send"), 1);
  EXPECT_EQ(EditDistance("reprot", "report"), 1);
  EXPECT_EQ(EditDistance("sum", "sim"), 1);
  EXPECT_EQ(EditDistance("", "wal"), 3);
}

TEST(NearestNameTest, SuggestsTheSubcommandATypoMeant) {
  EXPECT_EQ(NearestName("reprot", kSubcommands), "report");
  EXPECT_EQ(NearestName("snd", kSubcommands), "send");
  EXPECT_EQ(NearestName("versoin", kSubcommands), "version");
}

TEST(NearestNameTest, SuggestsNothingForAWordFarFromEveryName) {
  EXPECT_EQ(NearestName("deploy", kSubcommands), std::nullopt);
  EXPECT_EQ(NearestName("x", kSubcommands), std::nullopt);
}

}  // namespace
}  // namespace atmwatch::cli
