#pragma once

// The business calendar: how an event time (UTC milliseconds) maps onto the
// operator's local day, hour, day class and fiscal period.
//
// The zone is a fixed UTC offset with no DST (Japan is +09:00 all year), so a
// local day is always 24 hours and nothing depends on the process's TZ.
// Fiscal years are named by the calendar year they start in: with the
// default April start, FY2010 = 2010-04-01..2011-03-31 and 1Q = Apr-Jun.
//
// A Calendar is immutable after construction; const methods are safe to call
// from any number of threads.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atmwatch::engine {

// Fees and usage baselines differ between working days and the rest.
enum class DayClass {
  kWeekday,           // Monday to Friday, not a holiday
  kWeekendOrHoliday,  // Saturday, Sunday or a configured holiday
};

struct FiscalQuarter {
  int fiscal_year = 0;  // named by the calendar year the fiscal year starts in
  int quarter = 0;      // 1..4

  auto operator<=>(const FiscalQuarter&) const = default;
};

class Calendar {
 public:
  static constexpr std::chrono::minutes kDefaultUtcOffset{9 * 60};
  static constexpr unsigned kDefaultFiscalYearStartMonth = 4;

  // Japan: +09:00, fiscal year from April, no holidays.
  Calendar();
  // `holidays` are local dates. Throws std::invalid_argument when the offset
  // is outside -12:00..+14:00, the month outside 1..12 or a holiday is not a
  // valid date: that is misuse, config goes through config::ReadCalendar.
  Calendar(std::chrono::minutes utc_offset, unsigned fiscal_year_start_month,
           std::vector<std::chrono::year_month_day> holidays);

  std::chrono::minutes utc_offset() const { return utc_offset_; }
  // The same holidays and fiscal year at another offset (a valid one: it
  // comes from a Calendar).
  Calendar WithUtcOffset(std::chrono::minutes utc_offset) const;
  unsigned fiscal_year_start_month() const { return fiscal_year_start_month_; }

  // The local clock at an event time.
  int64_t LocalDayNumber(int64_t time_unix_ms) const;  // days since local 1970-01-01
  std::chrono::year_month_day LocalDate(int64_t time_unix_ms) const;
  std::chrono::weekday LocalWeekday(int64_t time_unix_ms) const;
  int HourOfDay(int64_t time_unix_ms) const;    // 0..23
  int MinuteOfDay(int64_t time_unix_ms) const;  // 0..1439
  int SecondOfDay(int64_t time_unix_ms) const;  // 0..86399, since local midnight
  DayClass DayClassAt(int64_t time_unix_ms) const;

  // The UTC instant at which a local day begins: where daily gauges roll over.
  int64_t LocalMidnightUnixMs(int64_t local_day_number) const;

  bool IsHoliday(std::chrono::year_month_day local_date) const;
  DayClass DayClassOf(std::chrono::year_month_day local_date) const;

  // Fiscal periods of local dates.
  int FiscalYearOf(std::chrono::year_month_day local_date) const;
  FiscalQuarter FiscalQuarterOf(std::chrono::year_month_day local_date) const;
  std::chrono::year_month_day QuarterStart(FiscalQuarter quarter) const;
  std::chrono::year_month_day QuarterEnd(FiscalQuarter quarter) const;  // its last day

 private:
  std::chrono::minutes utc_offset_;
  unsigned fiscal_year_start_month_;
  std::vector<int64_t> holiday_day_numbers_;  // sorted, unique
};

FiscalQuarter NextQuarter(FiscalQuarter quarter);

// The label of the investor-relations tables: "1Q08" is FY2008 1Q. Two year
// digits, as in the source; meant for display, not as a key.
std::string QuarterLabel(FiscalQuarter quarter);
// "FY2009": four digits, as reports and the plan's config name a year.
std::string FiscalYearLabel(int fiscal_year);

// The local day number convention shared by every aggregate.
int64_t DayNumberOf(std::chrono::year_month_day date);
std::chrono::year_month_day DateOfDayNumber(int64_t day_number);

// Strict "YYYY-MM-DD" (ISO 8601 calendar date); the error says what to write.
Status ParseDate(std::string_view text, std::chrono::year_month_day* out);
std::string FormatDate(std::chrono::year_month_day date);  // "YYYY-MM-DD"

// "+09:00", "-05:30", "+00:00" or "Z". Zone names ("Asia/Tokyo") are refused:
// the daemon only knows fixed offsets.
Status ParseUtcOffset(std::string_view text, std::chrono::minutes* out);

}  // namespace atmwatch::engine
