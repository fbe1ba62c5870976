#include "engine/usage_baseline.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace atmwatch::engine {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

}  // namespace

UsageExpectation DayExpectation::SoFar(int minute_of_day) const {
  UsageExpectation expectation{.reference_days = reference_days};
  if (reference_days == 0) return expectation;
  const int minute = std::clamp(minute_of_day, 0, kMinutesPerDay);
  const auto hour = static_cast<std::size_t>(minute / 60);
  double sum = cumulative[hour];
  if (hour < 24) sum += (cumulative[hour + 1] - cumulative[hour]) * (minute % 60) / 60.0;
  expectation.transactions = sum / reference_days;
  return expectation;
}

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
  return ExpectedDay(usage, ReferenceDays(usage, calendar, day), atm).SoFar(minute_of_day);
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

DayExpectation UsageBaseline::ExpectedDay(const DailyUsage& usage,
                                          std::span<const int64_t> reference_days,
                                          AtmIndex atm) const {
  DayExpectation expectation;
  std::optional<int64_t> first_active = usage.FirstActiveDay(atm);
  if (!first_active) return expectation;
  for (const int64_t reference : reference_days) {
    if (reference < *first_active) break;
    const HourlyTransactions hourly = usage.Hourly(atm, reference);
    double sum = 0;
    for (std::size_t hour = 0; hour < hourly.size(); ++hour) {
      sum += hourly[hour];
      expectation.cumulative[hour + 1] += sum;
    }
    ++expectation.reference_days;
  }
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
