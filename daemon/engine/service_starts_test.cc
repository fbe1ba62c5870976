#include "engine/service_starts.h"

#include <gtest/gtest.h>

#include <random>

namespace atmwatch::engine {
namespace {

// What the index stands for: a walk over every ATM.
int64_t WalkedAtmDays(const std::vector<int64_t>& first_days, DayRange range) {
  int64_t atm_days = 0;
  for (const int64_t first : first_days) atm_days += Intersect(range, {first, range.last}).days();
  return atm_days;
}

TEST(ServiceStartsTest, CountsAndAtmDaysByHand) {
  ServiceStarts starts;
  EXPECT_EQ(starts.AtmDays({0, 100}), 0);  // no ATM yet
  starts.Assign({10, 20, 20, 35});
  EXPECT_EQ(starts.CountOnOrBefore(9), 0u);
  EXPECT_EQ(starts.CountOnOrBefore(20), 3u);
  // Days 15..30: ATM from 10 all 16, the two from 20 11 each, none from 35.
  EXPECT_EQ(starts.AtmDays({15, 30}), 16 + 11 + 11);
  EXPECT_EQ(starts.AtmDays({36, 35}), 0);  // empty range
  EXPECT_EQ(starts.AtmDays({0, 5}), 0);

  // A late transaction moves the ATM that began on 35 to 12.
  starts.Move(35, 12);
  EXPECT_EQ(starts.AtmDays({15, 30}), 16 + 16 + 11 + 11);
  starts.Move(std::nullopt, 30);  // a new ATM
  EXPECT_EQ(starts.CountOnOrBefore(30), 5u);
  EXPECT_EQ(starts.AtmDays({15, 30}), 16 + 16 + 11 + 11 + 1);
}

TEST(ServiceStartsTest, AgreesWithAWalkOverTheFleetWhateverTheMoves) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int64_t> day(0, 400);
  std::vector<int64_t> first_days(300);
  for (int64_t& first : first_days) first = day(rng);
  ServiceStarts starts;
  starts.Assign(first_days);
  for (int round = 0; round < 200; ++round) {
    int64_t& moved = first_days[rng() % first_days.size()];
    const int64_t earlier = std::max<int64_t>(0, moved - day(rng) % 30);
    starts.Move(moved, earlier);
    moved = earlier;
    const int64_t a = day(rng);
    const int64_t b = day(rng);
    const DayRange range{std::min(a, b), std::max(a, b)};
    ASSERT_EQ(starts.AtmDays(range), WalkedAtmDays(first_days, range)) << round;
  }
}

}  // namespace
}  // namespace atmwatch::engine
