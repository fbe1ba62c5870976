#pragma once

// The commission schedule: what the card issuer pays the operator per
// transaction, by local time band and day class, with per-issuer overrides.
//
// Config (`fees:` in atmwatchd's YAML):
//
//   fees:
//     bands:                  # withdrawal commission, by day class and local time
//       - {days: weekday, start: "08:45", end: "18:00", yen: 105}
//       - {days: weekday, start: "18:00", end: "08:45", yen: 210}  # wraps midnight
//       - {days: weekend, start: "00:00", end: "24:00", yen: 210}
//     default_yen: 0          # withdrawals at times no band covers
//     issuers:                # bank code -> bands that replace the main ones
//       "0005":               #   where they apply; elsewhere the main ones hold
//         bands:
//           - {days: all, start: "00:00", end: "24:00", yen: 0}
//     other_types_yen: {balance_inquiry: 0, deposit: 0, transfer: 0}
//
// - `days` is `weekday` (Monday-Friday), `weekend` (Saturday, Sunday and the
//   configured holidays) or `all`. A band covers [start, end) of the local
//   day; "24:00" ends at midnight; start > end wraps past midnight; start ==
//   end is refused (write "00:00"-"24:00" for the whole day).
// - Bands of one day class must not overlap. They should cover the day: a gap
//   is a config error unless `default_yen` is set, which then is what a
//   withdrawal in the gap earns (`bands: []` with `default_yen: 150` is a flat
//   150 yen). Issuer bands may leave gaps: the main schedule fills them.
// - `other_types_yen` is a flat fee per approved transaction of another type.
// - Fees are whole yen, 0 or more. Unknown keys are errors.
// - Every key is optional: absent `bands` keep the built-in bands below,
//   absent `other_types_yen` entries are 0, no `issuers` means no overrides.
// - Quote times: atmwatchd reads unquoted ones too, but YAML 1.1 tools
//   (PyYAML, yq) turn an unquoted 18:00 into the number 1080.
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

#include "common/status.h"
#include "engine/calendar.h"

namespace YAML {
class Node;
}
namespace atmwatch::config {
class FieldReader;
}

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

class FeeSchedule {
 public:
  // The built-in default schedule described above.
  FeeSchedule();

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
  friend Status ParseFeeSchedule(const config::FieldReader& fields, const YAML::Node& fees,
                                 FeeSchedule* out);

  // Indexed by DayClass; each list sorted by start and without overlaps.
  using BandsByDayClass = std::array<std::vector<FeeBand>, 2>;

  static std::optional<int64_t> FindBandFee(const BandsByDayClass& bands, DayClass day_class,
                                            int minute_of_day);

  BandsByDayClass bands_;
  int64_t default_yen_ = 0;
  std::map<std::string, BandsByDayClass, std::less<>> issuer_bands_;
  int64_t balance_inquiry_yen_ = 0;
  int64_t deposit_yen_ = 0;
  int64_t transfer_yen_ = 0;
};

// Reads the `fees` node of the config. An absent or empty (null) node gives
// the built-in default. Errors name the key path (e.g. fees.bands[1].end),
// the line and the fix; *out is left untouched then.
Status ParseFeeSchedule(const config::FieldReader& fields, const YAML::Node& fees,
                        FeeSchedule* out);

}  // namespace atmwatch::engine
