#include "journal/file_tracking.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace atmwatch::journal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Kind = FileChange::Kind;

constexpr FileKey kOld{1, 100};
constexpr FileKey kNew{1, 200};

TEST(FileTracking, UnchangedOrGrownFileNeedsNothing) {
  EXPECT_THAT(Reconcile({{kOld, "/j/a.csv", 50}}, {{"/j/a.csv", kOld, 50}}), IsEmpty());
  EXPECT_THAT(Reconcile({{kOld, "/j/a.csv", 50}}, {{"/j/a.csv", kOld, 80}}), IsEmpty());
}

TEST(FileTracking, AFileSeenForTheFirstTimeIsNew) {
  EXPECT_THAT(Reconcile({}, {{"/j/a.csv", kNew, 10}}),
              ElementsAre(FileChange{Kind::kNew, kNew, "/j/a.csv", false}));
}

TEST(FileTracking, RenameAwayPlusNewFileIsARotationAndTheOldInodeIsDetached) {
  EXPECT_THAT(Reconcile({{kOld, "/j/a.csv", 50}}, {{"/j/a.csv", kNew, 0}}),
              ElementsAre(FileChange{Kind::kNew, kNew, "/j/a.csv", true},
                          FileChange{Kind::kDetached, kOld, ""}));
}

TEST(FileTracking, RenameToAnotherMatchingNameIsFollowed) {
  EXPECT_THAT(
      Reconcile({{kOld, "/j/a.csv", 50}}, {{"/j/a.1.csv", kOld, 50}, {"/j/a.csv", kNew, 0}}),
      ElementsAre(FileChange{Kind::kMoved, kOld, "/j/a.1.csv"},
                  FileChange{Kind::kNew, kNew, "/j/a.csv", true}));
}

TEST(FileTracking, ShrinkingBelowTheOffsetIsATruncation) {
  EXPECT_THAT(Reconcile({{kOld, "/j/a.csv", 50}}, {{"/j/a.csv", kOld, 49}}),
              ElementsAre(FileChange{Kind::kTruncated, kOld, ""}));
  EXPECT_THAT(Reconcile({{kOld, "/j/a.csv", 50}}, {{"/j/a.csv", kOld, 0}}),
              ElementsAre(FileChange{Kind::kTruncated, kOld, ""}));
}

TEST(FileTracking, ADeletedFileIsDetachedWithoutRotation) {
  EXPECT_THAT(Reconcile({{kOld, "/j/a.csv", 50}}, {}),
              ElementsAre(FileChange{Kind::kDetached, kOld, ""}));
}

}  // namespace
}  // namespace atmwatch::journal
