#include "engine/period_row.h"

#include <algorithm>

namespace atmwatch::engine {

PeriodRow PeriodRowFor(const BusinessRecords& records, DayRange days, int64_t as_of_day,
                       std::string label) {
  PeriodRow row;
  row.complete = days.last <= as_of_day;
  days.last = std::min(days.last, as_of_day);
  const PeriodFigures figures = FiguresFor(records, days);
  row.label = std::move(label);
  row.start = DateOfDayNumber(days.first);
  row.end = DateOfDayNumber(days.last);
  row.revenue_yen = figures.revenue_yen();
  row.cost_yen = figures.cost_yen;
  row.expenses_yen = figures.expenses_yen;
  row.total_yen = figures.total_costs_yen();
  row.operating_income_yen = figures.operating_income_yen();
  row.atms = static_cast<int64_t>(records.usage.AtmsActive(days));
  if (figures.atm_days > 0) {
    row.tx_per_atm_day =
        static_cast<double>(figures.transactions) / static_cast<double>(figures.atm_days);
  }
  return row;
}

}  // namespace atmwatch::engine
