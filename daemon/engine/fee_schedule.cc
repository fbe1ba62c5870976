#include "engine/fee_schedule.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "atmwatch/v1/events.pb.h"

namespace atmwatch::engine {
namespace {

using v1::AtmTransaction;

constexpr int kMinutesPerDay = 24 * 60;

size_t Index(DayClass day_class) { return static_cast<size_t>(day_class); }

void CheckBands(const FeeBandsByDayClass& bands) {
  for (const std::vector<FeeBand>& of_class : bands) {
    int previous_end = 0;
    for (const FeeBand& band : of_class) {
      if (band.start_minute < previous_end || band.start_minute >= band.end_minute ||
          band.end_minute > kMinutesPerDay) {
        throw std::invalid_argument(
            "FeeSchedule: bands must be sorted, within the day, not empty "
            "and not overlapping");
      }
      previous_end = band.end_minute;
    }
  }
}

}  // namespace

FeeBandsByDayClass BuiltInFeeBands() {
  constexpr int kDaytimeStart = 8 * 60 + 45;
  constexpr int kDaytimeEnd = 18 * 60;
  FeeBandsByDayClass bands;
  bands[Index(DayClass::kWeekday)] = {{0, kDaytimeStart, 210},
                                      {kDaytimeStart, kDaytimeEnd, 105},
                                      {kDaytimeEnd, kMinutesPerDay, 210}};
  bands[Index(DayClass::kWeekendOrHoliday)] = {{0, kMinutesPerDay, 210}};
  return bands;
}

FeeSchedule::FeeSchedule() : FeeSchedule(FeeTariff{}) {}

FeeSchedule::FeeSchedule(FeeTariff tariff) : tariff_(std::move(tariff)) {
  CheckBands(tariff_.bands);
  for (const auto& [issuer, bands] : tariff_.issuer_bands) CheckBands(bands);
}

std::optional<int64_t> FeeSchedule::FindBandFee(const FeeBandsByDayClass& bands, DayClass day_class,
                                                int minute_of_day) {
  const std::vector<FeeBand>& of_class = bands[Index(day_class)];
  auto after =
      std::upper_bound(of_class.begin(), of_class.end(), minute_of_day,
                       [](int minute, const FeeBand& band) { return minute < band.start_minute; });
  if (after == of_class.begin()) return std::nullopt;
  const FeeBand& band = *(after - 1);
  if (minute_of_day >= band.end_minute) return std::nullopt;
  return band.yen;
}

int64_t FeeSchedule::WithdrawalFee(std::string_view issuer, DayClass day_class,
                                   int minute_of_day) const {
  if (auto it = tariff_.issuer_bands.find(issuer); it != tariff_.issuer_bands.end()) {
    if (auto fee = FindBandFee(it->second, day_class, minute_of_day)) return *fee;
  }
  return FindBandFee(tariff_.bands, day_class, minute_of_day).value_or(tariff_.default_yen);
}

int64_t FeeSchedule::Commission(const AtmTransaction& transaction, DayClass day_class,
                                int minute_of_day) const {
  bool reversed = transaction.result() == AtmTransaction::REVERSED;
  if (transaction.has_commission_yen()) {
    int64_t yen = transaction.commission_yen();
    return reversed && yen > 0 ? -yen : yen;
  }
  if (transaction.result() != AtmTransaction::APPROVED && !reversed) return 0;
  int64_t fee = 0;
  switch (transaction.type()) {
    case AtmTransaction::WITHDRAWAL:
      fee = WithdrawalFee(transaction.issuer(), day_class, minute_of_day);
      break;
    case AtmTransaction::BALANCE_INQUIRY:
      fee = tariff_.balance_inquiry_yen;
      break;
    case AtmTransaction::DEPOSIT:
      fee = tariff_.deposit_yen;
      break;
    case AtmTransaction::TRANSFER:
      fee = tariff_.transfer_yen;
      break;
    default:
      break;
  }
  return reversed ? -fee : fee;
}

}  // namespace atmwatch::engine
