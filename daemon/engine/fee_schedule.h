#pragma once

// The commission schedule: what the card issuer pays the operator per
// transaction, by local time band and day class, with per-issuer overrides.
//
// The operator configures it under `fees:` (config/sections/fees.h); the
// rules a schedule follows:
// - A day class is weekday (Monday-Friday) or weekend (Saturday, Sunday and
//   the configured holidays). A band covers [start, end) of the local day;
//   a band that wraps past midnight is stored as two.
// - Bands of one day class do not overlap. A withdrawal at a time no band
//   covers earns `default_yen`. Issuer bands may leave gaps: the main
//   schedule fills them.
// - Other transaction types earn a flat fee each. Fees are whole yen, 0 or
//   more.
//
// The built-in bands (also the whole schedule without a `fees` key): weekday
// 08:45-18:00 105 yen, other weekday times 210 yen, weekend and holidays 210
// yen all day. They are plausible defaults modelled on Japanese
// convenience-store ATM tariffs, not any bank's actual figures.
//
// A FeeSchedule is immutable after construction; const methods are safe to
// call from any number of threads.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calendar.h"

namespace atmwatch::v1 {
class AtmTransaction;
}

namespace atmwatch::engine {

// One band of a day class: [start_minute, end_minute) of the local day, with
// 0 <= start_minute < end_minute <= 1440 (a band that wraps midnight is
// stored as two).
struct FeeBand {
  int start_minute = 0;
  int end_minute = 0;
  int64_t yen = 0;
};

// Bands indexed by DayClass; each list sorted by start and without overlaps.
using FeeBandsByDayClass = std::array<std::vector<FeeBand>, 2>;

// The built-in bands described above.
FeeBandsByDayClass BuiltInFeeBands();

// A schedule as plain values. Without changes it is the built-in schedule.
struct FeeTariff {
  FeeBandsByDayClass bands = BuiltInFeeBands();
  int64_t default_yen = 0;  // a withdrawal at a time no band covers
  std::map<std::string, FeeBandsByDayClass, std::less<>> issuer_bands;  // by bank code
  int64_t balance_inquiry_yen = 0;
  int64_t deposit_yen = 0;
  int64_t transfer_yen = 0;
};

class FeeSchedule {
 public:
  // The built-in default schedule described above.
  FeeSchedule();
  // Throws std::invalid_argument when a band lies outside the day, is empty,
  // or overlaps the one before it: that is misuse, a configured schedule
  // is checked where it is read, so that the error names the file's lines.
  explicit FeeSchedule(FeeTariff tariff);

  // The commission `transaction` earns, in yen, at a local time of
  // `minute_of_day` (0..1439) on a day of `day_class`:
  // - the event's commission_yen when present (the host knows best); for a
  //   REVERSED event it is the commission taken back, so the result is
  //   negative whichever sign the host wrote;
  // - otherwise APPROVED earns the scheduled fee, REVERSED returns it (the
  //   negated fee), DECLINED and ERROR earn 0.
  int64_t Commission(const v1::AtmTransaction& transaction, DayClass day_class,
                     int minute_of_day) const;

  // What one approved withdrawal with a card of `issuer` earns then: the
  // issuer's band if it has one covering that time, else the main band, else
  // default_yen.
  int64_t WithdrawalFee(std::string_view issuer, DayClass day_class, int minute_of_day) const;

 private:
  static std::optional<int64_t> FindBandFee(const FeeBandsByDayClass& bands, DayClass day_class,
                                            int minute_of_day);

  FeeTariff tariff_;
};

}  // namespace atmwatch::engine
