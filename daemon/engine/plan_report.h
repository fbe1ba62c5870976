#pragma once

// `atmwatch report --plan`: a fiscal year's plan, actual, forecast (with its
// range) and variance (forecast - plan) per quarter and for the year, as a
// text table, CSV or JSON.

#include <string>

#include "engine/forecast.h"

namespace atmwatch::engine {

// A block of lines per money figure (revenue, cost, expenses, operating
// income): plan, actual, forecast, its low and high, variance; a column per
// quarter and the year. JPY million; "-" where the plan is silent.
std::string FormatPlanTable(const FiscalYearOutlook& outlook);

// Header `period,start,end,figure,revenue,cost,expenses,total,gross_profit,
// operating_income`; per period a line for each of plan, actual, forecast,
// forecast_low, forecast_high and variance. JPY million with one decimal,
// empty where the plan is silent.
std::string FormatPlanCsv(const FiscalYearOutlook& outlook);

// {"fiscal_year": "FY2010", "as_of": "2010-03-31", "trend": {...},
//  "periods": [{"period": "1Q10", "start", "end", "plan": {money},
//  "actual": {money}, "forecast": {money, "low": {money}, "high": {money}},
//  "variance": {money}}, ..., {"period": "FY2010", ...}]}
// with money {"revenue_yen", "cost_yen", "expenses_yen", "total_yen",
// "gross_profit_yen", "operating_income_yen"} in whole yen, null where the
// plan is silent.
std::string FormatPlanJson(const FiscalYearOutlook& outlook);

}  // namespace atmwatch::engine
