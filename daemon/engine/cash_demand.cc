#include "engine/cash_demand.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "engine/usage_baseline.h"

namespace atmwatch::engine {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

// The expected demand from local midnight to `ms` into the day (0..kDayMs).
double SoFar(const std::array<float, 25>& cumulative, int64_t ms) {
  // Whole days, most of a walk, without a 64-bit division.
  if (ms <= 0) return 0;
  if (ms >= kDayMs) return cumulative[24];
  const auto hour = static_cast<std::size_t>(std::min<int64_t>(ms / kHourMs, 23));
  const double rate = double{cumulative[hour + 1]} - cumulative[hour];
  return cumulative[hour] +
         rate * static_cast<double>(ms - static_cast<int64_t>(hour) * kHourMs) / kHourMs;
}

// When within the day the demand so far reaches `yen` (below the day's
// total), in ms after midnight: evenly within its hour.
int64_t WhenSoFarReaches(const std::array<float, 25>& cumulative, double yen) {
  std::size_t hour = 0;
  while (hour < 23 && cumulative[hour + 1] <= yen) ++hour;
  const double rate = double{cumulative[hour + 1]} - cumulative[hour];
  return static_cast<int64_t>(hour) * kHourMs +
         std::llround((yen - cumulative[hour]) / rate * kHourMs);
}

// Calls visit(day_start_ms, from_ms, to_ms, cumulative) for each local day
// ahead as the part of it from now to the horizon, until visit returns false.
template <typename Visit>
void WalkDays(const CashDemand& demand, const DaysAhead& days, Visit visit) {
  const int64_t horizon = days.horizon_unix_ms();
  for (std::size_t day = 0; day < days.profiles.size(); ++day) {
    const int64_t midnight = days.first_midnight_unix_ms + static_cast<int64_t>(day) * kDayMs;
    const int64_t from = std::max(midnight, days.now_unix_ms);
    const int64_t to = std::min(midnight + kDayMs, horizon);
    if (from >= to) continue;
    const auto& cumulative = demand.cumulative_yen[static_cast<std::size_t>(days.profiles[day])];
    if (!visit(midnight, from, to, cumulative)) return;
  }
}

}  // namespace

ProfileReferenceDays ReferenceDaysByProfile(const DailyUsage& usage, const Calendar& calendar,
                                            int64_t today, int weeks) {
  ProfileReferenceDays days;
  for (int64_t day = today - 1; day >= usage.hourly_window().first; --day) {
    auto& of_profile = days[static_cast<std::size_t>(UsageBaseline::ProfileOf(calendar, day))];
    if (std::ssize(of_profile) < weeks) of_profile.push_back(day);
  }
  return days;
}

CashDemand LearnCashDemand(const DailyUsage& usage, const ProfileReferenceDays& reference_days,
                           AtmIndex atm) {
  CashDemand demand;
  const std::optional<int64_t> first_active = usage.FirstActiveDay(atm);
  if (!first_active) return demand;
  for (std::size_t profile = 0; profile < reference_days.size(); ++profile) {
    std::array<double, 24> sum{};
    int days = 0;
    for (const int64_t day : reference_days[profile]) {
      if (day < *first_active) break;
      ++days;
      const std::optional<AtmDayUsage> record = usage.Find(atm, day);
      if (!record || record->withdrawal_yen <= 0) continue;
      const HourlyTransactions hourly = usage.Hourly(atm, day);
      double transactions = 0;
      for (const uint16_t count : hourly) transactions += count;
      if (transactions == 0) continue;
      for (std::size_t hour = 0; hour < hourly.size(); ++hour) {
        sum[hour] += record->withdrawal_yen * (hourly[hour] / transactions);
      }
    }
    if (days == 0) return CashDemand{};
    double so_far = 0;
    for (std::size_t hour = 0; hour < sum.size(); ++hour) {
      so_far += sum[hour] / days;
      demand.cumulative_yen[profile][hour + 1] = static_cast<float>(so_far);
    }
  }
  demand.known = true;
  return demand;
}

double CashDemand::HourYen(int profile, int hour) const {
  const auto& cumulative = cumulative_yen[static_cast<std::size_t>(profile)];
  return double{cumulative[static_cast<std::size_t>(hour) + 1]} -
         cumulative[static_cast<std::size_t>(hour)];
}

double CashDemand::DayYen(int profile) const {
  return cumulative_yen[static_cast<std::size_t>(profile)][24];
}

CashDemand CashDemand::FromHourly(
    const std::array<std::array<double, 24>, kDayProfiles>& hourly_yen) {
  CashDemand demand{.known = true};
  for (std::size_t profile = 0; profile < hourly_yen.size(); ++profile) {
    double so_far = 0;
    for (std::size_t hour = 0; hour < 24; ++hour) {
      so_far += hourly_yen[profile][hour];
      demand.cumulative_yen[profile][hour + 1] = static_cast<float>(so_far);
    }
  }
  return demand;
}

DaysAhead DaysAhead::From(const Calendar& calendar, int64_t now_unix_ms) {
  DaysAhead days{.now_unix_ms = now_unix_ms};
  const int64_t today = calendar.LocalDayNumber(now_unix_ms);
  days.first_midnight_unix_ms = calendar.LocalMidnightUnixMs(today);
  for (int64_t day = today; day <= today + kCashForecastHorizonDays; ++day) {
    days.profiles.push_back(UsageBaseline::ProfileOf(calendar, day));
  }
  return days;
}

int64_t DaysAhead::horizon_unix_ms() const {
  return now_unix_ms + kCashForecastHorizonDays * kDayMs;
}

std::optional<int64_t> RunDryTime(const CashDemand& demand, const DaysAhead& days,
                                  int64_t remaining_yen) {
  if (!demand.known) return std::nullopt;
  if (remaining_yen <= 0) return days.now_unix_ms;
  double left = static_cast<double>(remaining_yen);
  std::optional<int64_t> dry;
  WalkDays(demand, days, [&](int64_t midnight, int64_t from, int64_t to, const auto& cumulative) {
    const double before = SoFar(cumulative, from - midnight);
    const double need = SoFar(cumulative, to - midnight) - before;
    if (need <= left) {
      left -= need;
      return true;
    }
    dry = midnight + WhenSoFarReaches(cumulative, before + left);
    return false;
  });
  return dry;
}

double DemandUntil(const CashDemand& demand, const DaysAhead& days, int64_t until_unix_ms) {
  double yen = 0;
  WalkDays(demand, days, [&](int64_t midnight, int64_t from, int64_t to, const auto& cumulative) {
    if (from >= until_unix_ms) return false;
    yen += SoFar(cumulative, std::min(to, until_unix_ms) - midnight) -
           SoFar(cumulative, from - midnight);
    return true;
  });
  return yen;
}

}  // namespace atmwatch::engine
