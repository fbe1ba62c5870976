#pragma once

// The cash an ATM is expected to dispense, per hour of each day profile, and
// the forecasts walked through it: when the ATM runs dry, and how much it
// needs until a given time (its next planned visit).
//
// Learning (LearnCashDemand). A day's profile is the usage baseline's
// (UsageBaseline::ProfileOf): its weekday, a holiday counting as a Sunday.
// For each of the 7 profiles the reference days are the `weeks` most recent
// days before today of that profile, within DailyUsage's hourly horizon and
// on or after the ATM's first active day. A reference day's withdrawal yen
// (approved less reversed, DailyUsage's per-day figure) is spread over its
// hours in proportion to the ATM's transactions in each hour: DailyUsage
// keeps yen per day and transactions per hour, not yen per hour, and the
// spread costs no write per withdrawal and no memory. An hour's expected
// demand is the mean over the profile's reference days (a day without
// transactions counts as 0 yen). A profile with no reference day leaves the
// ATM without a demand profile: it has less than a week of history.
//
// Walks. Demand is taken as even within an hour. RunDryTime goes forward
// from `now` hour by hour (local hours, each day with its own profile, so a
// holiday ahead is walked as a Sunday): the first hour whose expected demand
// exceeds what is left is the hour the ATM runs dry, at the fraction of the
// hour that what is left covers. Hours without expected demand take nothing,
// so the run-dry time always falls in an hour the ATM is used in. Beyond the
// horizon (14 days) there is no forecast.
//
// Everything here is a pure function of its arguments.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/calendar.h"
#include "engine/daily_usage.h"

namespace atmwatch::engine {

inline constexpr int kDayProfiles = 7;  // 0 = Sunday (and holidays) .. 6 = Saturday
inline constexpr int kCashDemandWeeks = 4;
inline constexpr int kCashForecastHorizonDays = 14;

// One ATM's expected withdrawal yen per profile and local hour, kept as
// running sums over the day so that a scrape takes a day, or the part of
// one, in a step: a fleet's forecasts walk two weeks each. Floats, as there
// is one per ATM (700 bytes); a yen of rounding in a day's millions.
struct CashDemand {
  // [profile][h]: hours 0..h-1 summed.
  std::array<std::array<float, 25>, kDayProfiles> cumulative_yen{};
  bool known = false;

  double HourYen(int profile, int hour) const;
  double DayYen(int profile) const;
  // Hours 0..23 of each profile (tests and hand-made profiles).
  static CashDemand FromHourly(const std::array<std::array<double, 24>, kDayProfiles>& hourly_yen);
};

// The reference days of each profile for learning on local day `today`,
// newest first, for an ATM active since before the hourly horizon; each
// ATM's own are those on or after its first active day. Shared by a whole
// fleet's learning on one day.
using ProfileReferenceDays = std::array<std::vector<int64_t>, kDayProfiles>;
ProfileReferenceDays ReferenceDaysByProfile(const DailyUsage& usage, const Calendar& calendar,
                                            int64_t today, int weeks = kCashDemandWeeks);

CashDemand LearnCashDemand(const DailyUsage& usage, const ProfileReferenceDays& reference_days,
                           AtmIndex atm);

// The local days a forecast from `now` may walk through (today and
// kCashForecastHorizonDays after it) with their profiles: worked out once per
// scrape for the whole fleet.
struct DaysAhead {
  int64_t now_unix_ms = 0;
  int64_t first_midnight_unix_ms = 0;  // local midnight starting today
  std::vector<int> profiles;           // by day from today

  static DaysAhead From(const Calendar& calendar, int64_t now_unix_ms);
  int64_t horizon_unix_ms() const;  // now + kCashForecastHorizonDays
};

// When an ATM holding `remaining_yen` now runs dry; nullopt when not within
// the horizon (or the ATM has no demand profile). Already empty: now.
std::optional<int64_t> RunDryTime(const CashDemand& demand, const DaysAhead& days,
                                  int64_t remaining_yen);

// The expected demand from now until `until_unix_ms` (at most the horizon).
double DemandUntil(const CashDemand& demand, const DaysAhead& days, int64_t until_unix_ms);

}  // namespace atmwatch::engine
