#include "metrics/business_collector.h"

#include "engine/breakeven.h"
#include "engine/engine.h"
#include "metrics/metric_samples.h"

namespace atmwatch::metrics {

using engine::ProgressWindow;
using prometheus::MetricFamily;
using prometheus::MetricType;

std::vector<MetricFamily> BusinessCollector::Collect() const {
  MetricFamily breakeven = Family(
      "atmwatch_breakeven_transactions_per_atm_day",
      "Transactions per ATM per day at which commissions pay all costs, at today's fleet and the "
      "commission per transaction of the last 28 days.",
      MetricType::Gauge);
  MetricFamily progress = Family(
      "atmwatch_breakeven_progress_ratio",
      "Revenue / costs over the window ending today (1 = breakeven): the day, the trailing 7 "
      "days, the fiscal quarter and the fiscal year to date.",
      MetricType::Gauge);
  MetricFamily income = Family("atmwatch_operating_income_yen",
                               "Operating income (revenue - cost - expenses) of the fiscal "
                               "quarter and the fiscal year to date, yen.",
                               MetricType::Gauge);
  MetricFamily projected =
      Family("atmwatch_breakeven_projected_date_seconds",
             "Local midnight of the day the trend of daily usage per ATM reaches breakeven, Unix "
             "seconds; absent when not within the horizon.",
             MetricType::Gauge);
  MetricFamily within =
      Family("atmwatch_breakeven_projection_within_horizon",
             "1 when the usage trend reaches breakeven within the horizon (3 years), else 0.",
             MetricType::Gauge);

  const std::int64_t now = clock_();
  engine_.Read([&](const engine::EngineView& view) {
    const engine::BusinessRecords records = view.records();
    const std::int64_t day = view.calendar.LocalDayNumber(now);
    if (auto level = engine::BreakevenTransactionsPerAtmDay(records, day)) {
      AddSample(breakeven, {}, *level);
    }
    const std::pair<ProgressWindow, const char*> windows[] = {
        {ProgressWindow::kDay, "day"},
        {ProgressWindow::kTrailing7Days, "7d"},
        {ProgressWindow::kQuarterToDate, "quarter"},
        {ProgressWindow::kFiscalYearToDate, "fiscal_year"}};
    for (const auto& [window, label] : windows) {
      const engine::PeriodFigures figures =
          engine::FiguresFor(records, engine::WindowEndingOn(window, view.calendar, day));
      if (auto ratio = figures.progress_ratio()) AddSample(progress, {{"window", label}}, *ratio);
      if (window == ProgressWindow::kQuarterToDate || window == ProgressWindow::kFiscalYearToDate) {
        AddSample(
            income,
            {{"period", window == ProgressWindow::kQuarterToDate ? "quarter" : "fiscal_year"}},
            static_cast<double>(figures.operating_income_yen()));
      }
    }
    const auto projected_day = engine::ProjectBreakevenDay(records, day);
    if (projected_day) {
      AddSample(projected, {},
                static_cast<double>(view.calendar.LocalMidnightUnixMs(*projected_day) / 1000));
    }
    AddSample(within, {}, projected_day ? 1 : 0);
  });
  std::vector<MetricFamily> families;
  for (MetricFamily* family : {&breakeven, &progress, &income, &projected, &within}) {
    // A family without samples would only be HELP and TYPE lines.
    if (!family->metric.empty()) families.push_back(std::move(*family));
  }
  return families;
}

}  // namespace atmwatch::metrics
