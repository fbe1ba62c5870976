#include "engine/fee_schedule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <vector>

#include "atmwatch/v1/events.pb.h"
#include "testing/test_events.h"

namespace atmwatch::engine {
namespace {

using v1::AtmTransaction;

constexpr DayClass kWeekday = DayClass::kWeekday;
constexpr DayClass kWeekend = DayClass::kWeekendOrHoliday;

constexpr int Minute(int hour, int minute) { return hour * 60 + minute; }

using atmwatch::testing::TransactionOf;
using atmwatch::testing::WithdrawalOf;

TEST(FeeScheduleTest, DefaultDaytimeBandStartsAt0845AndEndsBefore1800) {
  FeeSchedule fees;

  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(8, 44)), 210);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(8, 45)), 105);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(17, 59)), 105);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(18, 0)), 210);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, 0), 210);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(23, 59)), 210);
}

TEST(FeeScheduleTest, DefaultWeekendIsOneBandAllDay) {
  FeeSchedule fees;

  EXPECT_EQ(fees.WithdrawalFee("", kWeekend, 0), 210);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekend, Minute(12, 0)), 210);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekend, Minute(23, 59)), 210);
}

TEST(FeeScheduleTest, TariffBandsAreUsedAsGiven) {
  FeeTariff tariff;
  tariff.bands = {};
  tariff.bands[static_cast<size_t>(kWeekday)] = {{0, Minute(12, 0), 100}};
  tariff.default_yen = 7;
  tariff.issuer_bands["0005"][static_cast<size_t>(kWeekend)] = {{0, 24 * 60, 0}};
  FeeSchedule fees(std::move(tariff));

  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(11, 59)), 100);
  EXPECT_EQ(fees.WithdrawalFee("", kWeekday, Minute(12, 0)), 7);
  EXPECT_EQ(fees.WithdrawalFee("0005", kWeekend, Minute(12, 0)), 0);
  EXPECT_EQ(fees.WithdrawalFee("0005", kWeekday, Minute(11, 0)), 100);
}

// Bands that overlap, leave the day or are empty are misuse: a configured
// schedule is checked where the file is read (config/sections/fees.h).
TEST(FeeScheduleTest, ConstructorRefusesMisuse) {
  const auto with_weekday_bands = [](std::vector<FeeBand> bands) {
    FeeTariff tariff;
    tariff.bands[static_cast<size_t>(kWeekday)] = std::move(bands);
    return tariff;
  };
  EXPECT_THROW(FeeSchedule(with_weekday_bands({{0, 600, 1}, {540, 900, 2}})),
               std::invalid_argument);
  EXPECT_THROW(FeeSchedule(with_weekday_bands({{600, 600, 1}})), std::invalid_argument);
  EXPECT_THROW(FeeSchedule(with_weekday_bands({{600, 24 * 60 + 1, 1}})), std::invalid_argument);
  FeeTariff issuer_overlap;
  issuer_overlap.issuer_bands["0005"][0] = {{0, 600, 1}, {300, 900, 2}};
  EXPECT_THROW(FeeSchedule(std::move(issuer_overlap)), std::invalid_argument);
}

TEST(FeeScheduleTest, ApprovedWithdrawalEarnsTheBandFee) {
  FeeSchedule fees;
  EXPECT_EQ(fees.Commission(WithdrawalOf(AtmTransaction::APPROVED), kWeekday, Minute(10, 0)), 105);
  EXPECT_EQ(fees.Commission(WithdrawalOf(AtmTransaction::APPROVED), kWeekend, Minute(10, 0)), 210);
}

TEST(FeeScheduleTest, ReversedWithdrawalTakesTheBandFeeBack) {
  FeeSchedule fees;
  EXPECT_EQ(fees.Commission(WithdrawalOf(AtmTransaction::REVERSED), kWeekday, Minute(10, 0)), -105);
  EXPECT_EQ(fees.Commission(WithdrawalOf(AtmTransaction::REVERSED), kWeekday, Minute(20, 0)), -210);
}

TEST(FeeScheduleTest, DeclinedAndFailedWithdrawalsEarnNothing) {
  FeeSchedule fees;
  EXPECT_EQ(fees.Commission(WithdrawalOf(AtmTransaction::DECLINED), kWeekday, Minute(10, 0)), 0);
  EXPECT_EQ(fees.Commission(WithdrawalOf(AtmTransaction::ERROR), kWeekday, Minute(10, 0)), 0);
}

TEST(FeeScheduleTest, CommissionCarriedByTheEventWins) {
  FeeSchedule fees;
  auto with_commission = [](AtmTransaction::Result result, int64_t yen) {
    return TransactionOf(AtmTransaction::WITHDRAWAL, result, "", yen);
  };

  EXPECT_EQ(fees.Commission(with_commission(AtmTransaction::APPROVED, 150), kWeekday, 600), 150);
  EXPECT_EQ(fees.Commission(with_commission(AtmTransaction::APPROVED, 0), kWeekday, 600), 0);
  EXPECT_EQ(fees.Commission(with_commission(AtmTransaction::DECLINED, 20), kWeekday, 600), 20);
}

TEST(FeeScheduleTest, ReversalCarryingACommissionIsNegativeWhicheverSignTheHostWrites) {
  FeeSchedule fees;
  AtmTransaction positive =
      TransactionOf(AtmTransaction::WITHDRAWAL, AtmTransaction::REVERSED, "", 150);
  AtmTransaction negative =
      TransactionOf(AtmTransaction::WITHDRAWAL, AtmTransaction::REVERSED, "", -150);

  EXPECT_EQ(fees.Commission(positive, kWeekday, 600), -150);
  EXPECT_EQ(fees.Commission(negative, kWeekday, 600), -150);
}

TEST(FeeScheduleTest, OtherTypesEarnNothingByDefault) {
  FeeSchedule fees;
  for (auto type : {AtmTransaction::BALANCE_INQUIRY, AtmTransaction::DEPOSIT,
                    AtmTransaction::TRANSFER, AtmTransaction::TYPE_UNSPECIFIED}) {
    EXPECT_EQ(fees.Commission(TransactionOf(type, AtmTransaction::APPROVED), kWeekday, 600), 0)
        << type;
  }
}

}  // namespace
}  // namespace atmwatch::engine
