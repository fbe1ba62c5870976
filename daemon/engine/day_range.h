#pragma once

// A span of local days, the unit every business aggregate is queried by.
// Day numbers are Calendar::LocalDayNumber / DayNumberOf values.

#include <cstdint>

#include "engine/calendar.h"

namespace atmwatch::engine {

// The closed range [first, last] of local days; empty when last < first.
struct DayRange {
  int64_t first = 0;
  int64_t last = -1;

  int64_t days() const { return last < first ? 0 : last - first + 1; }
  bool Contains(int64_t day) const { return first <= day && day <= last; }
  bool operator==(const DayRange&) const = default;
};

inline DayRange Intersect(DayRange a, DayRange b) {
  return {a.first > b.first ? a.first : b.first, a.last < b.last ? a.last : b.last};
}

inline DayRange QuarterDays(const Calendar& calendar, FiscalQuarter quarter) {
  return {DayNumberOf(calendar.QuarterStart(quarter)), DayNumberOf(calendar.QuarterEnd(quarter))};
}

inline DayRange FiscalYearDays(const Calendar& calendar, int fiscal_year) {
  return {QuarterDays(calendar, {fiscal_year, 1}).first,
          QuarterDays(calendar, {fiscal_year, 4}).last};
}

}  // namespace atmwatch::engine
