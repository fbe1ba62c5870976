#include "engine/calendar.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace atmwatch::engine {
namespace {

namespace chrono = std::chrono;

// The real world's offsets run from Baker Island to Kiribati.
constexpr chrono::minutes kMinUtcOffset{-12 * 60};
constexpr chrono::minutes kMaxUtcOffset{14 * 60};

chrono::local_time<chrono::milliseconds> LocalTimeAt(int64_t time_unix_ms,
                                                     chrono::minutes utc_offset) {
  return chrono::local_time<chrono::milliseconds>(chrono::milliseconds(time_unix_ms) + utc_offset);
}

chrono::milliseconds SinceLocalMidnight(int64_t time_unix_ms, chrono::minutes utc_offset) {
  auto local = LocalTimeAt(time_unix_ms, utc_offset);
  return local - chrono::floor<chrono::days>(local);
}

bool IsDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Only called on text already checked with IsDigits.
int DigitsValue(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

Calendar::Calendar() : Calendar(kDefaultUtcOffset, kDefaultFiscalYearStartMonth, {}) {}

Calendar::Calendar(chrono::minutes utc_offset, unsigned fiscal_year_start_month,
                   std::vector<chrono::year_month_day> holidays)
    : utc_offset_(utc_offset), fiscal_year_start_month_(fiscal_year_start_month) {
  if (utc_offset < kMinUtcOffset || utc_offset > kMaxUtcOffset) {
    throw std::invalid_argument("Calendar: UTC offset outside -12:00..+14:00");
  }
  if (fiscal_year_start_month < 1 || fiscal_year_start_month > 12) {
    throw std::invalid_argument("Calendar: fiscal year start month outside 1..12");
  }
  for (chrono::year_month_day date : holidays) {
    if (!date.ok()) throw std::invalid_argument("Calendar: holiday is not a valid date");
    holiday_day_numbers_.push_back(DayNumberOf(date));
  }
  std::sort(holiday_day_numbers_.begin(), holiday_day_numbers_.end());
  holiday_day_numbers_.erase(std::unique(holiday_day_numbers_.begin(), holiday_day_numbers_.end()),
                             holiday_day_numbers_.end());
}

Calendar Calendar::WithUtcOffset(chrono::minutes utc_offset) const {
  Calendar moved = *this;
  moved.utc_offset_ = utc_offset;
  return moved;
}

int64_t Calendar::LocalDayNumber(int64_t time_unix_ms) const {
  auto local = LocalTimeAt(time_unix_ms, utc_offset_);
  return chrono::floor<chrono::days>(local).time_since_epoch().count();
}

chrono::year_month_day Calendar::LocalDate(int64_t time_unix_ms) const {
  return DateOfDayNumber(LocalDayNumber(time_unix_ms));
}

chrono::weekday Calendar::LocalWeekday(int64_t time_unix_ms) const {
  return chrono::weekday(chrono::sys_days(chrono::days(LocalDayNumber(time_unix_ms))));
}

int Calendar::HourOfDay(int64_t time_unix_ms) const {
  return chrono::floor<chrono::hours>(SinceLocalMidnight(time_unix_ms, utc_offset_)).count();
}

int Calendar::MinuteOfDay(int64_t time_unix_ms) const {
  return chrono::floor<chrono::minutes>(SinceLocalMidnight(time_unix_ms, utc_offset_)).count();
}

int Calendar::SecondOfDay(int64_t time_unix_ms) const {
  return chrono::floor<chrono::seconds>(SinceLocalMidnight(time_unix_ms, utc_offset_)).count();
}

DayClass Calendar::DayClassAt(int64_t time_unix_ms) const {
  return DayClassOf(LocalDate(time_unix_ms));
}

int64_t Calendar::LocalMidnightUnixMs(int64_t local_day_number) const {
  chrono::milliseconds local_midnight = chrono::days(local_day_number);
  return (local_midnight - utc_offset_).count();
}

bool Calendar::IsHoliday(chrono::year_month_day local_date) const {
  return std::binary_search(holiday_day_numbers_.begin(), holiday_day_numbers_.end(),
                            DayNumberOf(local_date));
}

DayClass Calendar::DayClassOf(chrono::year_month_day local_date) const {
  chrono::weekday weekday{chrono::sys_days(local_date)};
  if (weekday == chrono::Saturday || weekday == chrono::Sunday || IsHoliday(local_date)) {
    return DayClass::kWeekendOrHoliday;
  }
  return DayClass::kWeekday;
}

int Calendar::FiscalYearOf(chrono::year_month_day local_date) const {
  int year = static_cast<int>(local_date.year());
  return static_cast<unsigned>(local_date.month()) >= fiscal_year_start_month_ ? year : year - 1;
}

FiscalQuarter Calendar::FiscalQuarterOf(chrono::year_month_day local_date) const {
  unsigned month = static_cast<unsigned>(local_date.month());
  unsigned months_into_year = (month + 12 - fiscal_year_start_month_) % 12;
  return {FiscalYearOf(local_date), static_cast<int>(months_into_year / 3 + 1)};
}

chrono::year_month_day Calendar::QuarterStart(FiscalQuarter quarter) const {
  chrono::year_month first_month =
      chrono::year(quarter.fiscal_year) / chrono::month(fiscal_year_start_month_) +
      chrono::months(3 * (quarter.quarter - 1));
  return first_month / 1;
}

chrono::year_month_day Calendar::QuarterEnd(FiscalQuarter quarter) const {
  chrono::year_month_day start = QuarterStart(quarter);
  chrono::year_month last_month = start.year() / start.month() + chrono::months(2);
  return last_month / chrono::last;
}

FiscalQuarter NextQuarter(FiscalQuarter quarter) {
  if (quarter.quarter < 4) return {quarter.fiscal_year, quarter.quarter + 1};
  return {quarter.fiscal_year + 1, 1};
}

std::string QuarterLabel(FiscalQuarter quarter) {
  char label[32];
  std::snprintf(label, sizeof label, "%dQ%02d", quarter.quarter,
                (quarter.fiscal_year % 100 + 100) % 100);
  return label;
}

std::string FiscalYearLabel(int fiscal_year) { return "FY" + std::to_string(fiscal_year); }

int64_t DayNumberOf(chrono::year_month_day date) {
  return chrono::sys_days(date).time_since_epoch().count();
}

chrono::year_month_day DateOfDayNumber(int64_t day_number) {
  return chrono::year_month_day(chrono::sys_days(chrono::days(day_number)));
}

Status ParseDate(std::string_view text, chrono::year_month_day* out) {
  const std::string fix = "; write YYYY-MM-DD, e.g. 2010-04-01";
  bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                IsDigits(text.substr(0, 4)) && IsDigits(text.substr(5, 2)) &&
                IsDigits(text.substr(8, 2));
  if (!shaped) return Status::Error("\"" + std::string(text) + "\" is not a date" + fix);
  chrono::year_month_day date{chrono::year(DigitsValue(text.substr(0, 4))),
                              chrono::month(DigitsValue(text.substr(5, 2))),
                              chrono::day(DigitsValue(text.substr(8, 2)))};
  if (!date.ok()) {
    return Status::Error("\"" + std::string(text) + "\" is not a day of the calendar" + fix);
  }
  *out = date;
  return Status::Ok();
}

std::string FormatDate(chrono::year_month_day date) {
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

Status ParseUtcOffset(std::string_view text, chrono::minutes* out) {
  if (text == "Z") {
    *out = chrono::minutes(0);
    return Status::Ok();
  }
  bool shaped = text.size() == 6 && (text[0] == '+' || text[0] == '-') && text[3] == ':' &&
                IsDigits(text.substr(1, 2)) && IsDigits(text.substr(4, 2));
  if (!shaped) {
    return Status::Error("\"" + std::string(text) +
                         "\" is not a UTC offset; write +HH:MM or -HH:MM (e.g. \"+09:00\" for "
                         "Japan) or \"Z\"; zone names are not supported because the offset is "
                         "fixed (no DST)");
  }
  int minutes_of_hour = DigitsValue(text.substr(4, 2));
  chrono::minutes magnitude =
      chrono::hours(DigitsValue(text.substr(1, 2))) + chrono::minutes(minutes_of_hour);
  chrono::minutes offset = text[0] == '-' ? -magnitude : magnitude;
  if (minutes_of_hour >= 60 || offset < kMinUtcOffset || offset > kMaxUtcOffset) {
    return Status::Error("\"" + std::string(text) +
                         "\" is not a UTC offset in use; write one from -12:00 to +14:00");
  }
  *out = offset;
  return Status::Ok();
}

}  // namespace atmwatch::engine
