#pragma once

// The reference table the trust-networks scenario reproduces:
// data/trust-networks-quarters.csv, one fiscal quarter per line,
//   quarter,start,end,revenue,cost,expenses,total,operating_income
// in JPY million, '#' lines are comments. Only what the simulator needs is
// kept; total and operating income are the daemon's to compute.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atmwatch::cli {

struct QuarterFigures {
  std::string label;  // "1Q08"
  std::chrono::year_month_day start;
  std::chrono::year_month_day end;  // last day, included
  int64_t revenue_yen = 0;
  int64_t cost_yen = 0;
  int64_t expenses_yen = 0;
};

// Parses the CSV text; errors name the line and the column. Rows must be
// consecutive quarters in order, each ending the day before the next starts.
Status ParseQuarterFigures(std::string_view csv, std::vector<QuarterFigures>* out);

// Reads and parses a file.
Status LoadQuarterFigures(const std::string& path, std::vector<QuarterFigures>* out);

}  // namespace atmwatch::cli
