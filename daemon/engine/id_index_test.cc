#include "engine/id_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace atmwatch::engine {
namespace {

TEST(IdIndexTest, EmptyFindsNothing) {
  const std::vector<std::string> ids;
  const IdIndex index;
  EXPECT_FALSE(index.Find("ATM00001", ids));
  EXPECT_FALSE(index.Find("", ids));
}

TEST(IdIndexTest, FindsEveryIdThroughManyGrowths) {
  std::vector<std::string> ids;
  IdIndex index;
  for (std::uint32_t i = 0; i < 20000; ++i) {
    ids.push_back("ATM" + std::to_string(i));
    index.Insert(i, ids);
  }
  EXPECT_EQ(index.size(), 20000u);
  for (std::uint32_t i = 0; i < 20000; ++i) {
    const auto found = index.Find("ATM" + std::to_string(i), ids);
    ASSERT_TRUE(found) << i;
    EXPECT_EQ(*found, i);
  }
  EXPECT_FALSE(index.Find("ATM20000", ids));
  EXPECT_FALSE(index.Find("ATM", ids));
}

TEST(IdIndexTest, DistinguishesIdsThatDifferOnlyInLengthOrCase) {
  const std::vector<std::string> ids = {"a", "aa", "A", "", std::string("a\0b", 3)};
  IdIndex index;
  for (std::uint32_t i = 0; i < ids.size(); ++i) index.Insert(i, ids);
  for (std::uint32_t i = 0; i < ids.size(); ++i) EXPECT_EQ(index.Find(ids[i], ids), i);
  EXPECT_FALSE(index.Find("aaa", ids));
  EXPECT_FALSE(index.Find(std::string_view("a\0c", 3), ids));
}

}  // namespace
}  // namespace atmwatch::engine
