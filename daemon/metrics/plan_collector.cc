#include "metrics/plan_collector.h"

#include <optional>
#include <vector>

#include "engine/engine.h"
#include "engine/plan_tracking.h"
#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

using Type = TextWriter::Type;

constexpr double kSecondsPerDay = 86'400;

// One period's figures, copied out under the engine's lock.
struct PeriodRow {
  std::string label;
  engine::PlanMoney plan;
  std::optional<int64_t> plan_operating_income;
  int64_t shortfall_allowed = 0;
  bool started = false;
  engine::Money actual;
  engine::MoneyRange forecast;
};

// The as-of day's local midnight and the rest, in Unix seconds.
struct Tracked {
  bool has_records = false;
  double as_of_seconds = 0;
  std::vector<PeriodRow> periods;
  engine::BreakevenOutlook breakeven;
  double first_month_seconds = 0;
  std::optional<engine::LinesTargetOutlook> lines;
  double lines_reached_seconds = 0;
  double lines_deadline_seconds = 0;
};

PeriodRow RowOf(const engine::PeriodOutlook& period, double tolerance) {
  return {period.label,
          period.plan,
          period.plan.OperatingIncome(),
          engine::ForecastShortfallAllowed(period, tolerance),
          period.started,
          period.actual,
          period.forecast};
}

// A family with a sample per period that has the figure.
struct PeriodFamily {
  const char* name;
  const char* help;
  std::optional<int64_t> (*figure)(const PeriodRow& row);
};

std::optional<int64_t> IfStarted(const PeriodRow& row, int64_t figure) {
  return row.started ? std::optional(figure) : std::nullopt;
}

constexpr PeriodFamily kPeriodFamilies[] = {
    {"atmwatch_plan_revenue_yen",
     "Revenue the plan budgets for the period (quarter or fiscal year), yen.",
     [](const PeriodRow& row) { return row.plan.revenue_yen; }},
    {"atmwatch_plan_operating_income_yen", "Operating income the plan budgets for the period, yen.",
     [](const PeriodRow& row) { return row.plan_operating_income; }},
    {"atmwatch_plan_shortfall_allowed_yen",
     "How far the forecast operating income may fall below the plan's and still count as on "
     "plan: plan.forecast_tolerance x the period's costs, yen.",
     [](const PeriodRow& row) {
       return row.plan_operating_income ? std::optional(row.shortfall_allowed) : std::nullopt;
     }},
    {"atmwatch_actual_revenue_yen",
     "Revenue of the period up to the as-of day, yen; periods that have begun.",
     [](const PeriodRow& row) { return IfStarted(row, row.actual.revenue_yen); }},
    {"atmwatch_actual_operating_income_yen",
     "Operating income of the period up to the as-of day, yen; periods that have begun.",
     [](const PeriodRow& row) { return IfStarted(row, row.actual.operating_income_yen()); }},
    {"atmwatch_forecast_revenue_yen",
     "Revenue the period lands at: actual to the as-of day, the usage trend after, yen.",
     [](const PeriodRow& row) { return std::optional(row.forecast.expected.revenue_yen); }},
    {"atmwatch_forecast_revenue_low_yen",
     "Low bound of the period's revenue forecast (trend - 1.28 sigma of the weeks), yen.",
     [](const PeriodRow& row) { return std::optional(row.forecast.low.revenue_yen); }},
    {"atmwatch_forecast_revenue_high_yen",
     "High bound of the period's revenue forecast (trend + 1.28 sigma), yen.",
     [](const PeriodRow& row) { return std::optional(row.forecast.high.revenue_yen); }},
    {"atmwatch_forecast_operating_income_yen",
     "Operating income the period lands at: actual to the as-of day, forecast after, yen.",
     [](const PeriodRow& row) {
       return std::optional(row.forecast.expected.operating_income_yen());
     }},
    {"atmwatch_forecast_operating_income_low_yen",
     "Low bound of the period's operating income forecast, yen.",
     [](const PeriodRow& row) { return std::optional(row.forecast.low.operating_income_yen()); }},
    {"atmwatch_forecast_operating_income_high_yen",
     "High bound of the period's operating income forecast, yen.",
     [](const PeriodRow& row) { return std::optional(row.forecast.high.operating_income_yen()); }},
};

}  // namespace

void PlanCollector::WriteText(TextWriter& out) const {
  Tracked tracked;
  const std::int64_t now = now_unix_ms();
  engine().Read([&](const engine::EngineView& view) {
    const engine::BusinessRecords records = view.records();
    const int64_t as_of = engine::PlanAsOfDay(view.usage, view.calendar.LocalDayNumber(now));
    const auto seconds_of = [&](int64_t day) {
      return static_cast<double>(view.calendar.LocalMidnightUnixMs(day) / 1000);
    };
    tracked.lines = engine::TrackLinesTarget(view.lines, view.plan, as_of, now);
    if (tracked.lines) {
      if (tracked.lines->reached_day) {
        tracked.lines_reached_seconds = seconds_of(*tracked.lines->reached_day);
      }
      tracked.lines_deadline_seconds = seconds_of(tracked.lines->deadline_day);
    }
    if (!view.usage.latest_day()) return;
    tracked.has_records = true;
    tracked.as_of_seconds = seconds_of(as_of);
    const engine::FiscalYearOutlook outlook = engine::ForecastFiscalYear(
        records, view.plan, view.calendar.FiscalYearOf(engine::DateOfDayNumber(as_of)), as_of);
    for (const engine::PeriodOutlook& quarter : outlook.quarters) {
      tracked.periods.push_back(RowOf(quarter, view.plan.forecast_tolerance));
    }
    tracked.periods.push_back(RowOf(outlook.year, view.plan.forecast_tolerance));
    tracked.breakeven = engine::TrackBreakeven(records, view.plan, as_of);
    if (tracked.breakeven.first_month) {
      tracked.first_month_seconds = seconds_of(*tracked.breakeven.first_month);
    }
  });

  if (tracked.has_records) {
    out.Family("atmwatch_plan_as_of_date_seconds",
               "Local midnight of the last day the plan and forecast figures count: yesterday, "
               "or the newest day of usage when the records end earlier.",
               Type::kGauge);
    out.Sample("atmwatch_plan_as_of_date_seconds", {}, tracked.as_of_seconds);

    for (const PeriodFamily& family : kPeriodFamilies) {
      out.Family(family.name, family.help, Type::kGauge);
      for (const PeriodRow& row : tracked.periods) {
        if (const std::optional<int64_t> figure = family.figure(row)) {
          out.Sample(family.name, {{"period", row.label}}, static_cast<double>(*figure));
        }
      }
    }
  }
  if (tracked.breakeven.first_month) {
    out.Family("atmwatch_breakeven_first_month_seconds",
               "Local midnight of the first day of the first whole month whose operating income "
               "was 0 or more; absent until one is.",
               Type::kGauge);
    out.Sample("atmwatch_breakeven_first_month_seconds", {}, tracked.first_month_seconds);
  }
  if (tracked.breakeven.plan_slip_days) {
    out.Family("atmwatch_breakeven_plan_slip_seconds",
               "Breakeven (the first month that broke even, else the day the forecast reaches "
               "it) minus the last day of the plan's breakeven window; negative is ahead, +Inf "
               "when not within 3 years.",
               Type::kGauge);
    out.Sample("atmwatch_breakeven_plan_slip_seconds", {},
               *tracked.breakeven.plan_slip_days * kSecondsPerDay);
  }
  if (tracked.lines) {
    out.Family("atmwatch_mvno_active_lines_added_91d",
               "Net change in active MVNO lines over the 91 days ending on the as-of day, by "
               "event time: the run-rate per quarter.",
               Type::kGauge);
    out.Sample("atmwatch_mvno_active_lines_added_91d", {},
               static_cast<double>(tracked.lines->added_last_quarter));
    if (tracked.lines->reached_day) {
      out.Family("atmwatch_mvno_active_lines_target_projected_date_seconds",
                 "Local midnight of the day the active MVNO lines reach plan.mvno_lines.target "
                 "at the run-rate; absent while they do not grow.",
                 Type::kGauge);
      out.Sample("atmwatch_mvno_active_lines_target_projected_date_seconds", {},
                 tracked.lines_reached_seconds);
    }
    out.Family("atmwatch_mvno_active_lines_target_deadline_seconds",
               "Local midnight of plan.mvno_lines.deadline.", Type::kGauge);
    out.Sample("atmwatch_mvno_active_lines_target_deadline_seconds", {},
               tracked.lines_deadline_seconds);
    out.Family("atmwatch_mvno_active_lines_target_slip_seconds",
               "Projected date of the MVNO lines target minus its deadline; negative is ahead, "
               "+Inf while the lines do not grow.",
               Type::kGauge);
    out.Sample("atmwatch_mvno_active_lines_target_slip_seconds", {},
               tracked.lines->slip_days * kSecondsPerDay);
  }
}

}  // namespace atmwatch::metrics
