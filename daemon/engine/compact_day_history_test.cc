#include "engine/compact_day_history.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace atmwatch::engine {
namespace {

constexpr int64_t kDay = 14700;  // 2010-04-01

AtmDayUsage Record(int64_t day, uint16_t withdrawals, int32_t withdrawal_yen = 10000,
                   int32_t commission_yen = 110) {
  AtmDayUsage record{.day = static_cast<int32_t>(day),
                     .withdrawal_yen = withdrawal_yen,
                     .commission_yen = commission_yen};
  record.counts[0] = withdrawals;
  return record;
}

std::vector<AtmDayUsage> All(const CompactDayHistory& history) {
  std::vector<AtmDayUsage> records;
  history.ForEachIn({std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()},
                    [&records](const AtmDayUsage& record) { records.push_back(record); });
  return records;
}

TEST(CompactDayHistoryTest, EveryFieldDecodesAsItWasPut) {
  AtmDayUsage full{.day = -3,
                   .withdrawal_yen = std::numeric_limits<int32_t>::min(),
                   .commission_yen = std::numeric_limits<int32_t>::max()};
  for (std::size_t i = 0; i < full.counts.size(); ++i) full.counts[i] = static_cast<uint16_t>(i);
  full.counts[15] = 65535;
  const AtmDayUsage sparse = Record(40, 1, -20000, -110);
  CompactDayHistory history;
  history.Put(full);
  history.Put(sparse);

  EXPECT_EQ(history.Find(-3), full);
  EXPECT_EQ(history.Find(40), sparse);
  EXPECT_FALSE(history.Find(0).has_value());
  EXPECT_FALSE(history.Find(41).has_value());
  EXPECT_EQ(history.newest_day(), 40);
}

TEST(CompactDayHistoryTest, ATypicalDayTakesAFewBytes) {
  CompactDayHistory history;
  for (int64_t day = 0; day < 100; day += 2) history.Put(Record(kDay + day, 3, 45000, 330));
  // Delta 1, mask 1, count 1, yen 3, commission 2: 8 bytes a day, idle days none.
  EXPECT_EQ(history.encoded_bytes(), 50u * 8);
}

TEST(CompactDayHistoryTest, PuttingAnOlderDayInsertsOrReplacesIt) {
  CompactDayHistory history;
  history.Put(Record(kDay, 1));
  history.Put(Record(kDay + 10, 1));
  history.Put(Record(kDay + 5, 2));   // between
  history.Put(Record(kDay - 5, 3));   // before the first
  history.Put(Record(kDay + 10, 4));  // the newest, replaced

  EXPECT_EQ(All(history), (std::vector<AtmDayUsage>{Record(kDay - 5, 3), Record(kDay, 1),
                                                    Record(kDay + 5, 2), Record(kDay + 10, 4)}));
  history.Put(Record(kDay + 11, 5));  // appends after the re-encoding
  EXPECT_EQ(history.Find(kDay + 11), Record(kDay + 11, 5));
}

TEST(CompactDayHistoryTest, DroppedDaysAreGoneAndLaterDaysStillDecode) {
  CompactDayHistory history;
  for (int64_t day = 0; day < 400; ++day) history.Put(Record(kDay + day, 1 + day % 7));
  for (int64_t first = 1; first <= 300; ++first) history.DropBefore(kDay + first);

  EXPECT_FALSE(history.Find(kDay + 299).has_value());
  const std::vector<AtmDayUsage> left = All(history);
  ASSERT_EQ(left.size(), 100u);
  for (int64_t day = 300; day < 400; ++day)
    EXPECT_EQ(left[day - 300], Record(kDay + day, 1 + day % 7));
  history.Put(Record(kDay + 400, 9));
  history.Put(Record(kDay + 350, 9));
  EXPECT_EQ(history.Find(kDay + 350), Record(kDay + 350, 9));
  EXPECT_EQ(history.Find(kDay + 400), Record(kDay + 400, 9));

  history.DropBefore(kDay + 1000);
  EXPECT_TRUE(history.empty());
  history.Put(Record(kDay + 1000, 1));
  EXPECT_EQ(All(history), std::vector<AtmDayUsage>{Record(kDay + 1000, 1)});
}

TEST(CompactDayHistoryTest, ForEachInVisitsOnlyTheRange) {
  CompactDayHistory history;
  for (int64_t day = 0; day < 10; ++day) history.Put(Record(kDay + day, 1));
  std::vector<int32_t> days;
  history.ForEachIn({kDay + 3, kDay + 5}, [&days](const AtmDayUsage& r) { days.push_back(r.day); });
  EXPECT_EQ(days, (std::vector<int32_t>{kDay + 3, kDay + 4, kDay + 5}));
  days.clear();
  history.ForEachIn({kDay + 5, kDay + 3}, [&days](const AtmDayUsage& r) { days.push_back(r.day); });
  EXPECT_TRUE(days.empty());
}

}  // namespace
}  // namespace atmwatch::engine
