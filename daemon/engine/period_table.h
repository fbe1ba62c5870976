#pragma once

// The text table of the fiscal reports: a column per period, a line per
// figure, with the change against the year before (and the quarter before)
// under revenue and operating income, as the investor-relations decks show.

#include <span>
#include <string>

#include "engine/period_row.h"

namespace atmwatch::engine {

struct PeriodColumn {
  const PeriodRow* row = nullptr;
  const PeriodRow* year_before = nullptr;    // the same period a year earlier, if reported
  const PeriodRow* period_before = nullptr;  // the quarter before, if reported
};

// With `quarter_on_quarter`, QoQ lines follow the YoY ones. A period in
// progress shows no change: part of it against a whole one would read as a
// fall.
std::string FormatPeriodTable(std::span<const PeriodColumn> columns, bool quarter_on_quarter);

}  // namespace atmwatch::engine
