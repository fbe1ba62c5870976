#include "engine/plan_report.h"

#include <cstdio>
#include <functional>
#include <optional>
#include <vector>

#include "engine/report_text.h"

namespace atmwatch::engine {
namespace {

constexpr int kLabelWidth = 30;
constexpr int kColumnWidth = 9;

// A money figure of any of the kinds, absent where the plan is silent.
struct Figures {
  std::optional<int64_t> revenue_yen, cost_yen, expenses_yen, operating_income_yen;

  std::optional<int64_t> total_yen() const {
    if (!cost_yen || !expenses_yen) return std::nullopt;
    return *cost_yen + *expenses_yen;
  }
  std::optional<int64_t> gross_profit_yen() const {
    if (!revenue_yen || !cost_yen) return std::nullopt;
    return *revenue_yen - *cost_yen;
  }
};

Figures FiguresOf(const Money& money) {
  return {money.revenue_yen, money.cost_yen, money.expenses_yen, money.operating_income_yen()};
}

Figures FiguresOf(const PlanMoney& plan) {
  return {plan.revenue_yen, plan.cost_yen, plan.expenses_yen, plan.OperatingIncome()};
}

std::optional<int64_t> Minus(std::optional<int64_t> a, std::optional<int64_t> b) {
  if (!a || !b) return std::nullopt;
  return *a - *b;
}

// Forecast - plan, where the plan has the figure.
Figures Variance(const PeriodOutlook& period) {
  const Figures forecast = FiguresOf(period.forecast.expected);
  const Figures plan = FiguresOf(period.plan);
  return {Minus(forecast.revenue_yen, plan.revenue_yen), Minus(forecast.cost_yen, plan.cost_yen),
          Minus(forecast.expenses_yen, plan.expenses_yen),
          Minus(forecast.operating_income_yen, plan.operating_income_yen)};
}

// The figures of one kind for a period, in the order the outputs list them.
struct Kind {
  const char* name;  // CSV and JSON
  const char* line;  // table
  std::function<Figures(const PeriodOutlook&)> of;
};

const std::vector<Kind>& Kinds() {
  static const std::vector<Kind> kinds = {
      {"plan", "plan", [](const PeriodOutlook& p) { return FiguresOf(p.plan); }},
      {"actual", "actual", [](const PeriodOutlook& p) { return FiguresOf(p.actual); }},
      {"forecast", "forecast",
       [](const PeriodOutlook& p) { return FiguresOf(p.forecast.expected); }},
      {"forecast_low", "  low", [](const PeriodOutlook& p) { return FiguresOf(p.forecast.low); }},
      {"forecast_high", "  high",
       [](const PeriodOutlook& p) { return FiguresOf(p.forecast.high); }},
      {"variance", "variance", Variance},
  };
  return kinds;
}

std::vector<const PeriodOutlook*> Periods(const FiscalYearOutlook& outlook) {
  std::vector<const PeriodOutlook*> periods;
  for (const PeriodOutlook& quarter : outlook.quarters) periods.push_back(&quarter);
  periods.push_back(&outlook.year);
  return periods;
}

std::string Millions(std::optional<int64_t> yen) { return yen ? FormatYenMillions(*yen) : ""; }

std::string Json(std::optional<int64_t> yen) { return yen ? std::to_string(*yen) : "null"; }

std::string JsonMoney(const Figures& figures) {
  return "\"revenue_yen\":" + Json(figures.revenue_yen) +
         ",\"cost_yen\":" + Json(figures.cost_yen) +
         ",\"expenses_yen\":" + Json(figures.expenses_yen) +
         ",\"total_yen\":" + Json(figures.total_yen()) +
         ",\"gross_profit_yen\":" + Json(figures.gross_profit_yen()) +
         ",\"operating_income_yen\":" + Json(figures.operating_income_yen);
}

}  // namespace

std::string FormatPlanTable(const FiscalYearOutlook& outlook) {
  const std::vector<const PeriodOutlook*> periods = Periods(outlook);
  std::string table = FiscalYearLabel(outlook.fiscal_year) + " as of " +
                      FormatDate(DateOfDayNumber(outlook.as_of_day)) + "\n";
  table += PadRight("(JPY million)", kLabelWidth);
  for (const PeriodOutlook* period : periods) table += PadLeft(period->label, kColumnWidth);
  table += "\n";
  const std::pair<const char*, std::function<std::optional<int64_t>(const Figures&)>> figures[] = {
      {"Revenue", [](const Figures& f) { return f.revenue_yen; }},
      {"Cost", [](const Figures& f) { return f.cost_yen; }},
      {"Expenses", [](const Figures& f) { return f.expenses_yen; }},
      {"Operating income", [](const Figures& f) { return f.operating_income_yen; }},
  };
  for (const auto& [figure, value] : figures) {
    table += std::string(figure) + "\n";
    for (const Kind& kind : Kinds()) {
      table += PadRight(std::string("  ") + kind.line, kLabelWidth);
      for (const PeriodOutlook* period : periods) {
        const std::optional<int64_t> yen = value(kind.of(*period));
        table += PadLeft(yen ? FormatYenMillions(*yen) : "-", kColumnWidth);
      }
      table += "\n";
    }
  }
  return table;
}

std::string FormatPlanCsv(const FiscalYearOutlook& outlook) {
  std::string csv =
      "period,start,end,figure,revenue,cost,expenses,total,gross_profit,operating_income\n";
  for (const PeriodOutlook* period : Periods(outlook)) {
    for (const Kind& kind : Kinds()) {
      const Figures figures = kind.of(*period);
      csv += period->label + "," + FormatDate(DateOfDayNumber(period->days.first)) + "," +
             FormatDate(DateOfDayNumber(period->days.last)) + "," + kind.name + "," +
             Millions(figures.revenue_yen) + "," + Millions(figures.cost_yen) + "," +
             Millions(figures.expenses_yen) + "," + Millions(figures.total_yen()) + "," +
             Millions(figures.gross_profit_yen()) + "," + Millions(figures.operating_income_yen) +
             "\n";
    }
  }
  return csv;
}

std::string FormatPlanJson(const FiscalYearOutlook& outlook) {
  std::string json = "{\"fiscal_year\":\"" + FiscalYearLabel(outlook.fiscal_year) +
                     "\",\"as_of\":\"" + FormatDate(DateOfDayNumber(outlook.as_of_day)) + "\"";
  char trend[160] = "null";
  if (outlook.basis.trend) {
    std::snprintf(trend, sizeof trend,
                  "{\"weeks\":%d,\"tx_per_atm_day_as_of\":%.3f,\"slope_per_day\":%.5f,"
                  "\"spread\":%.3f}",
                  outlook.basis.trend->weeks, outlook.basis.trend->At(outlook.as_of_day),
                  outlook.basis.trend->slope, outlook.basis.trend->spread);
  }
  char commission[64];
  std::snprintf(commission, sizeof commission, "%.2f",
                outlook.basis.commission_per_transaction_yen);
  json += ",\"trend\":" + std::string(trend) +
          ",\"fleet_atms\":" + std::to_string(outlook.basis.fleet_atms) +
          ",\"commission_per_transaction_yen\":" + commission + ",\"periods\":[";
  bool first = true;
  for (const PeriodOutlook* period : Periods(outlook)) {
    json += first ? "{" : ",{";
    first = false;
    json += "\"period\":\"" + period->label + "\",\"start\":\"" +
            FormatDate(DateOfDayNumber(period->days.first)) + "\",\"end\":\"" +
            FormatDate(DateOfDayNumber(period->days.last)) + "\",\"plan\":{" +
            JsonMoney(FiguresOf(period->plan)) + "},\"actual\":{" +
            JsonMoney(FiguresOf(period->actual)) + "},\"forecast\":{" +
            JsonMoney(FiguresOf(period->forecast.expected)) + ",\"low\":{" +
            JsonMoney(FiguresOf(period->forecast.low)) + "},\"high\":{" +
            JsonMoney(FiguresOf(period->forecast.high)) + "}},\"variance\":{" +
            JsonMoney(Variance(*period)) + "}}";
  }
  return json + "]}\n";
}

}  // namespace atmwatch::engine
