#include "engine/usage_baseline.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace atmwatch::engine {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

double CumulativeUpTo(const HourlyTransactions& hourly, int minute_of_day) {
  const int full_hours = minute_of_day / 60;
  double sum = 0;
  for (int hour = 0; hour < full_hours; ++hour) sum += hourly[static_cast<std::size_t>(hour)];
  if (full_hours < 24) {
    sum += hourly[static_cast<std::size_t>(full_hours)] * (minute_of_day % 60) / 60.0;
  }
  return sum;
}

}  // namespace

UsageBaseline::UsageBaseline(int weeks) : weeks_(weeks) {
  if (weeks < 1) throw std::invalid_argument("UsageBaseline: weeks must be at least 1");
}

int UsageBaseline::ProfileOf(const Calendar& calendar, int64_t day) {
  std::chrono::year_month_day date = DateOfDayNumber(day);
  if (calendar.IsHoliday(date)) return 0;
  return static_cast<int>(std::chrono::weekday(std::chrono::sys_days(date)).c_encoding());
}

UsageExpectation UsageBaseline::ExpectedSoFar(const DailyUsage& usage, const Calendar& calendar,
                                              AtmIndex atm, int64_t day, int minute_of_day) const {
  return ExpectedSoFar(usage, ReferenceDays(usage, calendar, day), atm, minute_of_day);
}

std::vector<int64_t> UsageBaseline::ReferenceDays(const DailyUsage& usage, const Calendar& calendar,
                                                  int64_t day) const {
  std::vector<int64_t> days;
  const int profile = ProfileOf(calendar, day);
  for (int64_t reference = day - 1;
       reference >= usage.hourly_window().first && std::ssize(days) < weeks_; --reference) {
    if (ProfileOf(calendar, reference) == profile) days.push_back(reference);
  }
  return days;
}

UsageExpectation UsageBaseline::ExpectedSoFar(const DailyUsage& usage,
                                              std::span<const int64_t> reference_days, AtmIndex atm,
                                              int minute_of_day) const {
  UsageExpectation expectation;
  std::optional<int64_t> first_active = usage.FirstActiveDay(atm);
  if (!first_active) return expectation;
  const int minute = std::clamp(minute_of_day, 0, kMinutesPerDay);
  double sum = 0;
  for (const int64_t reference : reference_days) {
    if (reference < *first_active) break;
    sum += CumulativeUpTo(usage.Hourly(atm, reference), minute);
    ++expectation.reference_days;
  }
  if (expectation.reference_days > 0) expectation.transactions = sum / expectation.reference_days;
  return expectation;
}

double UsageBaseline::DailyAverage(const DailyUsage& usage, AtmIndex atm, int64_t day) const {
  std::optional<int64_t> first_active = usage.FirstActiveDay(atm);
  if (!first_active) return 0;
  DayRange window = Intersect({day - kAverageDays, day - 1}, {*first_active, day - 1});
  if (window.days() == 0) return 0;
  return static_cast<double>(usage.AtmTotals(atm, window).Transactions()) / window.days();
}

}  // namespace atmwatch::engine
