#pragma once

// Expected usage: how many transactions an ATM has usually done by this time
// of day, so "low usage" compares today so far with the ATM's own habit
// rather than with the fleet.
//
// The baseline of a day is the average over its reference days of the ATM's
// transactions from local midnight up to the same minute. Reference days are
// the `weeks` (default 4) most recent earlier days of the same profile:
// - the profile of a day is its weekday, except that a holiday has Sunday's
//   profile: in Japan a holiday is spent like a Sunday (parlors are busiest),
//   so a holiday Monday compares with the last Sundays and holidays, and the
//   next ordinary Monday skips the holiday;
// - days before the ATM's first transaction are not reference days (a new
//   ATM's baseline grows with its history instead of being dragged to zero),
//   nor are days beyond DailyUsage's hourly horizon. Fewer reference days than
//   `weeks` are averaged as they are; none gives an expectation of 0.
// Counts are hourly, so within an hour the expectation grows linearly:
// at 18:15 it is the hours 00-17 plus a quarter of hour 18.
//
// Stateless apart from `weeks`: every call reads the DailyUsage it is given,
// so a UsageBaseline is safe to share between threads that each hold the
// engine's lock.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/calendar.h"
#include "engine/daily_usage.h"

namespace atmwatch::engine {

struct UsageExpectation {
  double transactions = 0;
  int reference_days = 0;  // how many days the average is over
};

// An ATM's expectation for one day at every minute of it: what its
// reference days had done by each full hour, summed. Depends only on days
// before that day, so a scrape can keep it until one of those changes.
struct DayExpectation {
  int reference_days = 0;
  std::array<double, 25> cumulative{};  // [h]: hours 0..h-1, summed over the days

  // The expectation by `minute_of_day` (clamped to 0..1440).
  UsageExpectation SoFar(int minute_of_day) const;
};

class UsageBaseline {
 public:
  static constexpr int kDefaultWeeks = 4;
  static constexpr int kAverageDays = 7;

  // Throws std::invalid_argument when weeks < 1.
  explicit UsageBaseline(int weeks = kDefaultWeeks);

  int weeks() const { return weeks_; }

  // What `atm` has usually done on local `day` by `minute_of_day`
  // (0..1440; 1440 is the whole day).
  UsageExpectation ExpectedSoFar(const DailyUsage& usage, const Calendar& calendar, AtmIndex atm,
                                 int64_t day, int minute_of_day) const;

  // The reference days of `day` for an ATM active since before the hourly
  // window, newest first. Each ATM's own are the prefix of these on or after
  // its first active day, so a scrape of the whole fleet works them out once
  // (calendar lookups for four weeks per ATM were a quarter of its cost).
  std::vector<int64_t> ReferenceDays(const DailyUsage& usage, const Calendar& calendar,
                                     int64_t day) const;
  // The whole day's expectation of `atm`, with the days from ReferenceDays
  // for that day.
  DayExpectation ExpectedDay(const DailyUsage& usage, std::span<const int64_t> reference_days,
                             AtmIndex atm) const;

  // Average daily transactions over the 7 complete days before `day`, of
  // those the ATM was in service; 0 when there are none.
  double DailyAverage(const DailyUsage& usage, AtmIndex atm, int64_t day) const;

  // The weekday (0 = Sunday .. 6 = Saturday) a day is compared as.
  static int ProfileOf(const Calendar& calendar, int64_t day);

 private:
  int weeks_;
};

}  // namespace atmwatch::engine
