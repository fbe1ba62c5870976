#include "engine/cash_demand.h"

#include <algorithm>
#include <iterator>

#include "engine/usage_baseline.h"

namespace atmwatch::engine {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

// Calls visit(hour_start_ms, hour_end_ms, yen_per_hour) for each local hour
// of the days ahead that ends after now, the first one cut at now, until
// visit returns false or the horizon is reached (the last hour cut there).
// A whole day within the walk is first offered to skip_day(day_end_ms,
// day_yen): true takes it in one step (a scrape walks a fleet's two weeks).
template <typename SkipDay, typename Visit>
void WalkHours(const CashDemand& demand, const DaysAhead& days, SkipDay skip_day, Visit visit) {
  const int64_t horizon = days.horizon_unix_ms();
  for (std::size_t day = 0; day < days.profiles.size(); ++day) {
    const auto profile = static_cast<std::size_t>(days.profiles[day]);
    const auto& hourly = demand.hourly_yen[profile];
    const int64_t midnight = days.first_midnight_unix_ms + static_cast<int64_t>(day) * kDayMs;
    if (midnight >= days.now_unix_ms && midnight + kDayMs <= horizon &&
        skip_day(midnight + kDayMs, demand.day_yen[profile])) {
      continue;
    }
    for (std::size_t hour = 0; hour < hourly.size(); ++hour) {
      const int64_t start = midnight + static_cast<int64_t>(hour) * kHourMs;
      const int64_t end = std::min(start + kHourMs, horizon);
      if (end <= days.now_unix_ms) continue;
      if (start >= horizon) return;
      if (!visit(std::max(start, days.now_unix_ms), end, double{hourly[hour]})) return;
    }
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
    for (std::size_t hour = 0; hour < sum.size(); ++hour) {
      demand.hourly_yen[profile][hour] = static_cast<float>(sum[hour] / days);
      demand.day_yen[profile] += demand.hourly_yen[profile][hour];
    }
  }
  demand.known = true;
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
  const auto skip_day = [&](int64_t, double day_yen) {
    if (day_yen > left) return false;
    left -= day_yen;
    return true;
  };
  WalkHours(demand, days, skip_day, [&](int64_t start, int64_t end, double yen_per_hour) {
    const double need = yen_per_hour * static_cast<double>(end - start) / kHourMs;
    if (need <= left) {
      left -= need;
      return true;
    }
    dry = start + static_cast<int64_t>(left / yen_per_hour * kHourMs);
    return false;
  });
  return dry;
}

double DemandUntil(const CashDemand& demand, const DaysAhead& days, int64_t until_unix_ms) {
  double yen = 0;
  const auto skip_day = [&](int64_t day_end, double day_yen) {
    if (day_end > until_unix_ms) return false;
    yen += day_yen;
    return true;
  };
  WalkHours(demand, days, skip_day, [&](int64_t start, int64_t end, double yen_per_hour) {
    if (start >= until_unix_ms) return false;
    yen += yen_per_hour * static_cast<double>(std::min(end, until_unix_ms) - start) / kHourMs;
    return true;
  });
  return yen;
}

}  // namespace atmwatch::engine
