#pragma once

// The `fees:` section: the commission schedule (engine/fee_schedule.h).
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
// - Every key is optional: absent `bands` keep the built-in bands, absent
//   `other_types_yen` entries are 0, no `issuers` means no overrides.
// - Quote times: atmwatchd reads unquoted ones too, but YAML 1.1 tools
//   (PyYAML, yq) turn an unquoted 18:00 into the number 1080.

#include "common/status.h"
#include "config/config_field.h"
#include "engine/fee_schedule.h"

namespace atmwatch::config {

// Reads the `fees` node of the config. An absent or empty (null) node gives
// the built-in default. Errors name the key path (e.g. fees.bands[1].end),
// the line and the fix; *out is left untouched then.
Status ReadFees(const FieldReader& fields, const YAML::Node& fees, engine::FeeSchedule* out);

}  // namespace atmwatch::config
