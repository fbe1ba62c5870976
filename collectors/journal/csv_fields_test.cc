#include "journal/csv_fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace atmwatch::journal {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Split(std::string_view line) {
  std::vector<std::string> fields;
  EXPECT_TRUE(SplitCsvRecord(line, &fields)) << line;
  return fields;
}

bool Broken(std::string_view line) {
  std::vector<std::string> fields;
  return !SplitCsvRecord(line, &fields);
}

TEST(CsvFields, PlainFieldsAreSplitAtCommas) {
  EXPECT_THAT(Split("a,b,c"), ElementsAre("a", "b", "c"));
}

TEST(CsvFields, EmptyFieldsStay) { EXPECT_THAT(Split("a,,c,"), ElementsAre("a", "", "c", "")); }

TEST(CsvFields, CrlfLineEndingIsDropped) {
  EXPECT_THAT(Split("a,b\r"), ElementsAre("a", "b"));
  EXPECT_THAT(Split("a,\"b\"\r"), ElementsAre("a", "b"));
}

TEST(CsvFields, QuotedFieldsKeepCommasAndDoubledQuotes) {
  EXPECT_THAT(Split(R"("Parlor, Shinjuku","say ""hi""",x)"),
              ElementsAre("Parlor, Shinjuku", "say \"hi\"", "x"));
}

TEST(CsvFields, SpacesAroundFieldsAreTrimmedButNotInsideQuotes) {
  EXPECT_THAT(Split(" a , \" b \" ,c"), ElementsAre("a", " b ", "c"));
}

TEST(CsvFields, BrokenQuotingIsRefused) {
  EXPECT_TRUE(Broken(R"(a,"open)"));
  EXPECT_TRUE(Broken(R"(a,"closed"trailing,b)"));
  EXPECT_TRUE(Broken(R"(a,in"side,b)"));
}

}  // namespace
}  // namespace atmwatch::journal
