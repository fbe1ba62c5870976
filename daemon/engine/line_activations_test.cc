#include "engine/line_activations.h"

#include <gtest/gtest.h>

#include "engine/line_table.h"
#include "engine_state.pb.h"

namespace atmwatch::engine {
namespace {

using v1::LineEvent;

constexpr int64_t kMsPerDay = 86'400'000;
constexpr int64_t kNineHoursMs = 9 * 3'600'000;
// 2010-03-31 in days since 1970-01-01.
const int64_t kDay = DayNumberOf(std::chrono::year_month_day(
    std::chrono::year(2010), std::chrono::month(3), std::chrono::day(31)));

// Local noon (+09:00) of `day`.
int64_t NoonOf(int64_t day) { return day * kMsPerDay - kNineHoursMs + 12 * 3'600'000; }

LineObservation Event(std::string_view line, LineEvent::Kind kind, int64_t time_ms) {
  return {line, "docomo", kind, "s1", 0, 0, time_ms};
}

TEST(LineActivationsTest, ALineCountsOnceWhenItBecomesActiveAndOffWhenItDetaches) {
  LineTable table;
  table.Apply(Event("a", LineEvent::ATTACH, NoonOf(kDay)));
  table.Apply(Event("a", LineEvent::SESSION_START, NoonOf(kDay) + 1000));  // still one line
  table.Apply(Event("b", LineEvent::SESSION_START, NoonOf(kDay + 1)));
  table.Apply(Event("a", LineEvent::DETACH, NoonOf(kDay + 2)));

  const LineActivations& activations = table.activations();
  EXPECT_EQ(activations.NetOver({kDay, kDay}), 1);
  EXPECT_EQ(activations.NetOver({kDay + 1, kDay + 1}), 1);
  EXPECT_EQ(activations.NetOver({kDay + 2, kDay + 2}), -1);
  EXPECT_EQ(activations.NetOver({kDay, kDay + 2}), 1);
}

TEST(LineActivationsTest, DaysAreLocalToTheConfiguredOffset) {
  LineActivations activations;
  // 23:30 UTC on the day before is 08:30 the next morning in Japan.
  const int64_t late_utc = kDay * kMsPerDay - 30 * 60'000;
  activations.Record(late_utc, 1);
  EXPECT_EQ(activations.NetOver({kDay, kDay}), 1);

  LineActivations in_utc;
  in_utc.SetUtcOffset(std::chrono::minutes(0));
  in_utc.Record(late_utc, 1);
  EXPECT_EQ(in_utc.NetOver({kDay - 1, kDay - 1}), 1);
}

TEST(LineActivationsTest, DaysLongBeforeTheNewestAreDropped) {
  LineActivations activations;
  activations.Record(NoonOf(kDay), 1);
  activations.Record(NoonOf(kDay + LineActivations::kKeptDays), 1);
  EXPECT_EQ(activations.NetOver({kDay, kDay}), 0);
  // A late event of a dropped day is not counted either.
  activations.Record(NoonOf(kDay), 1);
  EXPECT_EQ(activations.NetOver({kDay - 1, kDay + LineActivations::kKeptDays}), 1);
}

TEST(LineActivationsTest, SurvivesASnapshotOfTheLineTable) {
  LineTable table;
  table.Apply(Event("a", LineEvent::ATTACH, NoonOf(kDay)));
  table.Apply(Event("b", LineEvent::ATTACH, NoonOf(kDay + 5)));
  LineTableState saved;
  table.Save(&saved);

  LineTable restored;
  restored.Restore(saved);
  EXPECT_EQ(restored.activations().NetOver({kDay, kDay + 5}), 2);
  EXPECT_EQ(restored.activations().NetOver({kDay + 1, kDay + 5}), 1);
}

}  // namespace
}  // namespace atmwatch::engine
