#include "engine/daily_usage.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

#include "engine_state.pb.h"

namespace atmwatch::engine {
namespace {

constexpr int kBalanceInquiry = 2;
constexpr int kDeclined = 2;
constexpr int64_t kDay = 14700;  // 2010-04-01

UsageTransaction Withdrawal(AtmIndex atm, int64_t day, int result = kApproved,
                            int64_t amount_yen = 10000, int64_t commission_yen = 105) {
  return {.atm = atm,
          .local_day = day,
          .hour = 12,
          .time_unix_ms = day * 86'400'000,
          .type = kWithdrawal,
          .result = result,
          .amount_yen = amount_yen,
          .commission_yen = commission_yen};
}

UsageTransaction AtHour(UsageTransaction transaction, int hour) {
  transaction.hour = hour;
  return transaction;
}

TEST(DailyUsageTest, CountsTransactionsByTypeAndResult) {
  DailyUsage usage;
  usage.Add(Withdrawal(0, kDay));
  usage.Add(Withdrawal(0, kDay, kDeclined, 5000, 0));
  UsageTransaction inquiry = Withdrawal(0, kDay, kApproved, 0, 0);
  inquiry.type = kBalanceInquiry;
  usage.Add(inquiry);

  std::optional<AtmDayUsage> day = usage.Find(0, kDay);
  ASSERT_TRUE(day.has_value());
  EXPECT_EQ(day->day, kDay);
  EXPECT_EQ(day->Count(kWithdrawal, kApproved), 1u);
  EXPECT_EQ(day->Count(kWithdrawal, kDeclined), 1u);
  EXPECT_EQ(day->Count(kBalanceInquiry, kApproved), 1u);
  EXPECT_EQ(day->Count(kBalanceInquiry, kDeclined), 0u);
  EXPECT_EQ(day->Transactions(), 3u);
}

TEST(DailyUsageTest, WithdrawalAmountIsApprovedMinusReversedAndCommissionIsSigned) {
  DailyUsage usage;
  usage.Add(Withdrawal(0, kDay, kApproved, 10000, 105));
  usage.Add(Withdrawal(0, kDay, kApproved, 20000, 210));
  usage.Add(Withdrawal(0, kDay, kReversed, 10000, -105));
  usage.Add(Withdrawal(0, kDay, kDeclined, 50000, 0));

  std::optional<AtmDayUsage> day = usage.Find(0, kDay);
  ASSERT_TRUE(day.has_value());
  EXPECT_EQ(day->withdrawal_yen, 20000);
  EXPECT_EQ(day->commission_yen, 210);
  EXPECT_EQ(usage.FleetTotals({kDay, kDay}).withdrawal_yen, 20000);
  EXPECT_EQ(usage.FleetTotals({kDay, kDay}).commission_yen, 210);
}

TEST(DailyUsageTest, EachAtmAndDayHasItsOwnRecord) {
  DailyUsage usage;
  usage.Add(Withdrawal(0, kDay));
  usage.Add(Withdrawal(0, kDay + 1));
  usage.Add(Withdrawal(0, kDay + 1));
  usage.Add(Withdrawal(2, kDay + 1));

  EXPECT_EQ(usage.Find(0, kDay)->Transactions(), 1u);
  EXPECT_EQ(usage.Find(0, kDay + 1)->Transactions(), 2u);
  EXPECT_EQ(usage.Find(2, kDay + 1)->Transactions(), 1u);
  EXPECT_FALSE(usage.Find(0, kDay + 2).has_value());
  EXPECT_FALSE(usage.Find(1, kDay).has_value());  // never seen
  EXPECT_FALSE(usage.Find(7, kDay).has_value());  // beyond every ATM seen
  EXPECT_EQ(usage.AtmTotals(0, {kDay, kDay + 1}).Transactions(), 3u);
  EXPECT_EQ(usage.FleetTotals({kDay, kDay + 1}).Transactions(), 4u);
  EXPECT_EQ(usage.FleetTotals({kDay + 1, kDay + 5}).Transactions(), 3u);
  EXPECT_EQ(usage.FleetTotals({kDay + 1, kDay}).Transactions(), 0u);  // empty range
}

TEST(DailyUsageTest, LateEventWithinRetentionLandsInItsOwnDay) {
  DailyUsage usage;
  usage.Add(Withdrawal(0, kDay));

  EXPECT_TRUE(usage.Add(Withdrawal(0, kDay - 399)));
  EXPECT_EQ(usage.Find(0, kDay - 399)->Transactions(), 1u);
  EXPECT_EQ(usage.Find(0, kDay)->Transactions(), 1u);
  EXPECT_EQ(usage.latest_day(), kDay);
  EXPECT_EQ(usage.detail_window(), (DayRange{kDay - 399, kDay}));
}

TEST(DailyUsageTest, DayOlderThanRetentionKeepsFleetTotalsButNoDetail) {
  DailyUsage usage(/*retention_days=*/10, /*hourly_days=*/5);
  usage.Add(Withdrawal(0, kDay));

  EXPECT_FALSE(usage.Add(Withdrawal(0, kDay - 10)));
  EXPECT_FALSE(usage.Find(0, kDay - 10).has_value());
  EXPECT_EQ(usage.FleetTotals({kDay - 10, kDay - 10}).Transactions(), 1u);
  EXPECT_EQ(usage.AtmsActive({kDay - 10, kDay - 10}), 1u);
  EXPECT_EQ(usage.FirstActiveDay(0), kDay - 10);
  EXPECT_TRUE(usage.Add(Withdrawal(0, kDay - 9)));
}

TEST(DailyUsageTest, DetailAgesOutAndItsSlotIsReused) {
  DailyUsage usage(/*retention_days=*/10, /*hourly_days=*/5);
  usage.Add(Withdrawal(0, kDay));
  usage.Add(Withdrawal(0, kDay));
  usage.Add(Withdrawal(0, kDay + 10));  // same ring slot as kDay

  EXPECT_FALSE(usage.Find(0, kDay).has_value());
  EXPECT_EQ(usage.Find(0, kDay + 10)->Transactions(), 1u);
  EXPECT_EQ(usage.AtmTotals(0, {kDay, kDay + 10}).Transactions(), 1u);
  EXPECT_EQ(usage.FleetTotals({kDay, kDay + 10}).Transactions(), 3u);
}

TEST(DailyUsageTest, EveryKeptDayStaysFindableAsTheRingsGrow) {
  DailyUsage usage(/*retention_days=*/400, /*hourly_days=*/35);
  // Out of order and with gaps, so days collide in the small rings first.
  for (int64_t day = 0; day < 400; day += 3) usage.Add(Withdrawal(0, kDay + day));
  for (int64_t day = 398; day > 0; day -= 3) usage.Add(Withdrawal(0, kDay + day));
  for (int64_t day = 0; day < 400; ++day) {
    const bool added = day % 3 == 0 || day % 3 == 2;
    EXPECT_EQ(usage.Find(0, kDay + day).has_value(), added) << day;
    const int64_t hourly = usage.Hourly(0, kDay + day)[12];
    EXPECT_EQ(hourly, added && day >= 400 - 35 ? 1 : 0) << day;
  }
}

TEST(DailyUsageTest, SnapshotDoesNotDependOnHowTheRingsGrew) {
  DailyUsage continuous;
  for (int64_t day = 0; day < 10; ++day) continuous.Add(Withdrawal(0, kDay + day));
  DailyUsageState saved;
  continuous.Save(&saved, 1);
  DailyUsage restored;
  const AtmIndex atm = 0;
  restored.Restore(saved, std::span(&atm, 1));
  for (int64_t day = 10; day < 300; day += 7) {
    continuous.Add(Withdrawal(0, kDay + day));
    restored.Add(Withdrawal(0, kDay + day));
  }
  DailyUsageState a;
  DailyUsageState b;
  continuous.Save(&a, 1);
  restored.Save(&b, 1);
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
  EXPECT_EQ(a.atms(0).days_size(), 10 + 42);
}

TEST(DailyUsageTest, CountsTransactionsByLocalHour) {
  DailyUsage usage(/*retention_days=*/10, /*hourly_days=*/5);
  usage.Add(AtHour(Withdrawal(0, kDay), 0));
  usage.Add(AtHour(Withdrawal(0, kDay), 18));
  usage.Add(AtHour(Withdrawal(0, kDay, kDeclined), 18));
  usage.Add(AtHour(Withdrawal(0, kDay), 23));

  HourlyTransactions hourly = usage.Hourly(0, kDay);
  EXPECT_EQ(hourly[0], 1);
  EXPECT_EQ(hourly[17], 0);
  EXPECT_EQ(hourly[18], 2);
  EXPECT_EQ(hourly[23], 1);
  EXPECT_EQ(usage.Hourly(0, kDay + 1), HourlyTransactions{});
  EXPECT_EQ(usage.Hourly(1, kDay), HourlyTransactions{});
}

TEST(DailyUsageTest, HourlyCountsAgeOutBeforeTheDailyDetail) {
  DailyUsage usage(/*retention_days=*/10, /*hourly_days=*/5);
  usage.Add(Withdrawal(0, kDay));
  usage.Add(Withdrawal(0, kDay + 5));

  EXPECT_EQ(usage.hourly_window(), (DayRange{kDay + 1, kDay + 5}));
  EXPECT_EQ(usage.Hourly(0, kDay), HourlyTransactions{});
  EXPECT_EQ(usage.Find(0, kDay)->Transactions(), 1u);
  EXPECT_EQ(usage.Hourly(0, kDay + 5)[12], 1);
}

TEST(DailyUsageTest, AtmsActiveCountsAtmsWithAnyTransactionInTheRange) {
  DailyUsage usage;
  for (int64_t day : {1, 2, 3}) usage.Add(Withdrawal(0, kDay + day));
  usage.Add(Withdrawal(1, kDay + 5));
  usage.Add(Withdrawal(2, kDay + 1));
  usage.Add(Withdrawal(2, kDay + 10));

  EXPECT_EQ(usage.AtmsActive({kDay + 1, kDay + 1}), 2u);
  EXPECT_EQ(usage.AtmsActive({kDay + 4, kDay + 4}), 0u);
  EXPECT_EQ(usage.AtmsActive({kDay + 3, kDay + 5}), 2u);
  EXPECT_EQ(usage.AtmsActive({kDay + 6, kDay + 9}), 0u);
  EXPECT_EQ(usage.AtmsActive({kDay + 0, kDay + 10}), 3u);
  EXPECT_EQ(usage.AtmsActive({kDay + 11, kDay + 20}), 0u);
  EXPECT_EQ(usage.AtmsActive({kDay + 5, kDay + 4}), 0u);  // empty range
}

TEST(DailyUsageTest, LateDaysJoinAndMergeTheActivityRuns) {
  DailyUsage usage;
  for (int64_t day : {5, 7, 10, 6, 4, 10, 12}) usage.Add(Withdrawal(0, kDay + day));

  for (int64_t day = 0; day <= 13; ++day) {
    bool active = (day >= 4 && day <= 7) || day == 10 || day == 12;
    EXPECT_EQ(usage.AtmsActive({kDay + day, kDay + day}), active ? 1u : 0u) << "day " << day;
  }
  EXPECT_EQ(usage.FirstActiveDay(0), kDay + 4);
}

TEST(DailyUsageTest, AtmsAreInServiceFromTheirFirstTransaction) {
  DailyUsage usage;
  usage.Add(Withdrawal(0, kDay + 10));
  usage.Add(Withdrawal(1, kDay + 15));

  EXPECT_EQ(usage.FirstActiveDay(0), kDay + 10);
  EXPECT_EQ(usage.FirstActiveDay(1), kDay + 15);
  EXPECT_FALSE(usage.FirstActiveDay(2).has_value());
  EXPECT_EQ(usage.AtmsInService(kDay + 9), 0u);
  EXPECT_EQ(usage.AtmsInService(kDay + 14), 1u);
  EXPECT_EQ(usage.AtmsInService(kDay + 30), 2u);  // idle days still count
  EXPECT_EQ(usage.AtmDaysInService({kDay + 12, kDay + 16}), 5 + 2);
  EXPECT_EQ(usage.AtmDaysInService({kDay, kDay + 9}), 0);
}

TEST(DailyUsageTest, PerDayYenSaturatesWhileFleetTotalsStayExact) {
  DailyUsage usage;
  for (int i = 0; i < 3; ++i) usage.Add(Withdrawal(0, kDay, kApproved, 1'000'000'000, 100));
  EXPECT_EQ(usage.Find(0, kDay)->withdrawal_yen, std::numeric_limits<int32_t>::max());
  EXPECT_EQ(usage.FleetTotals({kDay, kDay}).withdrawal_yen, 3'000'000'000);
}

TEST(DailyUsageTest, PerDayCountsSaturateWhileFleetTotalsStayExact) {
  DailyUsage usage;
  for (int i = 0; i < 70000; ++i) usage.Add(Withdrawal(0, kDay));

  EXPECT_EQ(usage.Find(0, kDay)->Count(kWithdrawal, kApproved), 65535u);
  EXPECT_EQ(usage.Hourly(0, kDay)[12], 65535);
  EXPECT_EQ(usage.FleetTotals({kDay, kDay}).Transactions(), 70000u);
  EXPECT_EQ(usage.Find(0, kDay)->commission_yen, 70000 * 105);
}

// Days of the hourly window are in the ring; older ones in the compact
// history. These pin what crosses from one to the other.

TEST(DailyUsageTest, ADayMovingToTheOlderDaysKeepsEveryCountAndYen) {
  DailyUsage usage(/*retention_days=*/400, /*hourly_days=*/35);
  for (int type = 1; type <= kTransactionTypes; ++type) {
    for (int result = 1; result <= kTransactionResults; ++result) {
      for (int i = 0; i < type * result; ++i) {
        UsageTransaction transaction = Withdrawal(0, kDay, result, 12345, -(type * 100 + result));
        transaction.type = type;
        usage.Add(transaction);
      }
    }
  }
  const std::optional<AtmDayUsage> recent = usage.Find(0, kDay);
  ASSERT_TRUE(recent.has_value());

  usage.Add(Withdrawal(1, kDay + 35));     // kDay leaves the hourly window,
  EXPECT_EQ(usage.Find(0, kDay), recent);  // still in ATM 0's ring
  usage.Add(Withdrawal(0, kDay + 36));     // whose next Add moves it

  EXPECT_EQ(usage.Find(0, kDay), recent);
  EXPECT_EQ(usage.Hourly(0, kDay), HourlyTransactions{});
  EXPECT_EQ(usage.AtmTotals(0, {kDay, kDay}).Transactions(), recent->Transactions());
  EXPECT_EQ(usage.AtmTotals(0, {kDay, kDay + 36}).Transactions(), recent->Transactions() + 1);
  EXPECT_EQ(usage.AtmTotals(0, {kDay, kDay}).withdrawal_yen, recent->withdrawal_yen);
  EXPECT_EQ(usage.AtmTotals(0, {kDay, kDay}).commission_yen, recent->commission_yen);
}

TEST(DailyUsageTest, LateTransactionOnAnOlderDayIsCountedExactly) {
  DailyUsage usage(/*retention_days=*/400, /*hourly_days=*/35);
  for (int64_t day = 0; day <= 100; ++day) usage.Add(Withdrawal(0, kDay + day));

  EXPECT_TRUE(usage.Add(Withdrawal(0, kDay + 10, kReversed, 10000, -105)));
  EXPECT_TRUE(usage.Add(Withdrawal(0, kDay - 50)));  // before every kept day

  const std::optional<AtmDayUsage> late = usage.Find(0, kDay + 10);
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->Count(kWithdrawal, kApproved), 1u);
  EXPECT_EQ(late->Count(kWithdrawal, kReversed), 1u);
  EXPECT_EQ(late->withdrawal_yen, 0);
  EXPECT_EQ(late->commission_yen, 0);
  EXPECT_EQ(usage.Find(0, kDay + 9)->Transactions(), 1u);
  EXPECT_EQ(usage.Find(0, kDay + 11)->Transactions(), 1u);
  EXPECT_EQ(usage.Find(0, kDay - 50)->Transactions(), 1u);
  EXPECT_EQ(usage.AtmTotals(0, {kDay - 50, kDay + 100}).Transactions(), 101u + 2);
}

TEST(DailyUsageTest, OlderDaysBeyondRetentionAreDropped) {
  DailyUsage usage(/*retention_days=*/10, /*hourly_days=*/3);
  for (int64_t day = 0; day < 10; ++day) usage.Add(Withdrawal(0, kDay + day));
  usage.Add(Withdrawal(0, kDay + 12));

  for (int64_t day = 0; day < 3; ++day) EXPECT_FALSE(usage.Find(0, kDay + day).has_value()) << day;
  for (int64_t day = 3; day < 10; ++day) EXPECT_TRUE(usage.Find(0, kDay + day).has_value()) << day;
  EXPECT_EQ(usage.AtmTotals(0, {kDay, kDay + 12}).Transactions(), 7u + 1);
  EXPECT_FALSE(usage.Add(Withdrawal(0, kDay + 2)));
  DailyUsageState saved;
  usage.Save(&saved, 1);
  EXPECT_EQ(saved.atms(0).days_size(), 7 + 1);
}

TEST(DailyUsageTest, CountsStaySaturatedInTheOlderDays) {
  DailyUsage usage(/*retention_days=*/400, /*hourly_days=*/35);
  for (int i = 0; i < 70000; ++i) usage.Add(Withdrawal(0, kDay));
  usage.Add(Withdrawal(0, kDay + 40));

  EXPECT_EQ(usage.Find(0, kDay)->Count(kWithdrawal, kApproved), 65535u);
  usage.Add(Withdrawal(0, kDay));  // late, on the older day
  EXPECT_EQ(usage.Find(0, kDay)->Count(kWithdrawal, kApproved), 65535u);
  EXPECT_EQ(usage.Find(0, kDay)->commission_yen, 70001 * 105);
  EXPECT_EQ(usage.FleetTotals({kDay, kDay}).Transactions(), 70001u);
}

TEST(DailyUsageTest, PastDaysStampChangesOnlyWithThePast) {
  DailyUsage usage;
  usage.Add(Withdrawal(0, kDay - 3));
  usage.Add(Withdrawal(0, kDay));
  usage.Add(Withdrawal(1, kDay));
  const PastDaysStamp stamp = usage.PastDaysStampOf(0);
  EXPECT_EQ(stamp.latest_day, kDay);

  // The latest day is today's traffic: it leaves every stamp alone.
  usage.Add(Withdrawal(0, kDay));
  usage.Add(Withdrawal(1, kDay));
  EXPECT_EQ(usage.PastDaysStampOf(0), stamp);

  // A late transaction changes its own ATM's stamp only.
  const PastDaysStamp other = usage.PastDaysStampOf(1);
  usage.Add(Withdrawal(0, kDay - 1));
  EXPECT_NE(usage.PastDaysStampOf(0), stamp);
  EXPECT_EQ(usage.PastDaysStampOf(1), other);
  // So does an ATM's first transaction, on a past day.
  const PastDaysStamp before_first = usage.PastDaysStampOf(2);
  usage.Add(Withdrawal(2, kDay - 5));
  EXPECT_NE(usage.PastDaysStampOf(2), before_first);

  // A new latest day moves the horizons: every stamp changes.
  const PastDaysStamp before_tomorrow = usage.PastDaysStampOf(1);
  usage.Add(Withdrawal(0, kDay + 1));
  EXPECT_NE(usage.PastDaysStampOf(1), before_tomorrow);

  // Restoring replaces everything, even with the same figures.
  DailyUsageState saved;
  usage.Save(&saved, 3);
  const PastDaysStamp before_restore = usage.PastDaysStampOf(1);
  const std::vector<AtmIndex> same{0, 1, 2};
  usage.Restore(saved, same);
  EXPECT_NE(usage.PastDaysStampOf(1), before_restore);
}

TEST(DailyUsageTest, SnapshotRoundTripsBothTiers) {
  DailyUsage usage(/*retention_days=*/100, /*hourly_days=*/10);
  for (int64_t day = 0; day < 150; ++day) {
    for (AtmIndex atm = 0; atm < 3; ++atm) {
      if ((day + atm) % 4 != 0) usage.Add(AtHour(Withdrawal(atm, kDay + day), 8 + atm));
    }
  }
  usage.Add(Withdrawal(1, kDay + 60, kDeclined, 0, 0));  // late, older tier
  DailyUsageState saved;
  usage.Save(&saved, 3);

  DailyUsage restored(/*retention_days=*/100, /*hourly_days=*/10);
  const std::vector<AtmIndex> atms{0, 1, 2};
  restored.Restore(saved, atms);

  for (AtmIndex atm = 0; atm < 3; ++atm) {
    for (int64_t day = 40; day < 150; ++day) {
      EXPECT_EQ(restored.Find(atm, kDay + day), usage.Find(atm, kDay + day)) << atm << " " << day;
      EXPECT_EQ(restored.Hourly(atm, kDay + day), usage.Hourly(atm, kDay + day));
    }
  }
  DailyUsageState again;
  restored.Save(&again, 3);
  EXPECT_EQ(again.SerializeAsString(), saved.SerializeAsString());
  EXPECT_EQ(saved.atms(1).days_size(), 75);
}

// A plain map of every kept ATM-day, with DailyUsage's saturation and
// retention rules, against which random histories are checked.
class ReferenceUsage {
 public:
  explicit ReferenceUsage(int retention_days) : retention_days_(retention_days) {}

  void Add(const UsageTransaction& transaction) {
    latest_day_ = std::max(latest_day_.value_or(transaction.local_day), transaction.local_day);
    if (!window().Contains(transaction.local_day)) return;
    AtmDayUsage& record = days_[{transaction.atm, transaction.local_day}];
    record.day = static_cast<int32_t>(transaction.local_day);
    uint16_t& count =
        record.counts[(transaction.type - 1) * kTransactionResults + (transaction.result - 1)];
    if (count < 65535) ++count;
    int64_t withdrawal = 0;
    if (transaction.type == kWithdrawal && transaction.result == kApproved) {
      withdrawal = transaction.amount_yen;
    }
    if (transaction.type == kWithdrawal && transaction.result == kReversed) {
      withdrawal = -transaction.amount_yen;
    }
    record.withdrawal_yen = Clamp(int64_t{record.withdrawal_yen} + withdrawal);
    record.commission_yen = Clamp(int64_t{record.commission_yen} + transaction.commission_yen);
  }

  std::optional<AtmDayUsage> Find(AtmIndex atm, int64_t day) const {
    auto it = days_.find({atm, day});
    if (it == days_.end() || !window().Contains(day)) return std::nullopt;
    return it->second;
  }

  DayRange window() const { return {*latest_day_ - retention_days_ + 1, *latest_day_}; }

 private:
  static int32_t Clamp(int64_t yen) {
    return static_cast<int32_t>(std::clamp<int64_t>(yen, std::numeric_limits<int32_t>::min(),
                                                    std::numeric_limits<int32_t>::max()));
  }

  int retention_days_;
  std::optional<int64_t> latest_day_;
  std::map<std::pair<AtmIndex, int64_t>, AtmDayUsage> days_;
};

TEST(DailyUsageTest, MatchesAReferenceModelOverRandomEventsIncludingLateOnes) {
  constexpr int kRetention = 30;
  constexpr AtmIndex kAtms = 5;
  DailyUsage usage(kRetention, /*hourly_days=*/7);
  ReferenceUsage reference(kRetention);
  std::mt19937_64 rng(20261125);
  auto uniform = [&rng](int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(rng);
  };
  auto check_every_day = [&](const DailyUsage& checked) {
    const int64_t latest = *checked.latest_day();
    for (AtmIndex atm = 0; atm < kAtms; ++atm) {
      UsageTotals expected;
      for (int64_t day = latest - kRetention - 5; day <= latest; ++day) {
        const std::optional<AtmDayUsage> want = reference.Find(atm, day);
        ASSERT_EQ(checked.Find(atm, day), want) << "atm " << atm << " day " << day - kDay;
        if (want) expected.Add(*want);
      }
      const UsageTotals totals = checked.AtmTotals(atm, {latest - kRetention - 5, latest});
      EXPECT_EQ(totals.counts, expected.counts);
      EXPECT_EQ(totals.withdrawal_yen, expected.withdrawal_yen);
      EXPECT_EQ(totals.commission_yen, expected.commission_yen);
    }
  };

  int64_t today = kDay;
  for (int event = 0; event < 20000; ++event) {
    if (uniform(0, 999) < 5) today += uniform(1, 3);  // about 200 days in all
    int64_t day = today;
    if (const int64_t roll = uniform(0, 99); roll < 10) {
      day -= uniform(1, 40);  // late: older tier, or beyond retention
    } else if (roll < 20) {
      day -= uniform(1, 6);  // late, still in the hourly window
    }
    const UsageTransaction transaction{.atm = static_cast<AtmIndex>(uniform(0, kAtms - 1)),
                                       .local_day = day,
                                       .hour = static_cast<int>(uniform(0, 23)),
                                       .time_unix_ms = day * 86'400'000,
                                       .type = static_cast<int>(uniform(1, kTransactionTypes)),
                                       .result = static_cast<int>(uniform(1, kTransactionResults)),
                                       .amount_yen = uniform(0, 1'000'000),
                                       .commission_yen = uniform(-330, 330)};
    usage.Add(transaction);
    reference.Add(transaction);
    if (event % 997 == 0) check_every_day(usage);
  }
  EXPECT_GT(today - kDay, 2 * kRetention);
  check_every_day(usage);

  DailyUsageState saved;
  usage.Save(&saved, kAtms);
  DailyUsage restored(kRetention, /*hourly_days=*/7);
  const std::vector<AtmIndex> atms{0, 1, 2, 3, 4};
  restored.Restore(saved, atms);
  check_every_day(restored);
}

TEST(DailyUsageTest, RefusesValuesValidationShouldHaveStopped) {
  DailyUsage usage;
  UsageTransaction bad = Withdrawal(0, kDay);
  bad.type = 0;
  EXPECT_THROW(usage.Add(bad), std::invalid_argument);
  bad = Withdrawal(0, kDay, 5);
  EXPECT_THROW(usage.Add(bad), std::invalid_argument);
  EXPECT_THROW(usage.Add(AtHour(Withdrawal(0, kDay), 24)), std::invalid_argument);
  EXPECT_FALSE(usage.latest_day().has_value());
  EXPECT_THROW(DailyUsage(10, 11), std::invalid_argument);
  EXPECT_THROW(DailyUsage(10, 0), std::invalid_argument);
}

}  // namespace
}  // namespace atmwatch::engine
