#include "metrics/business_collector.h"

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/breakeven.h"
#include "engine/engine.h"
#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

using engine::ProgressWindow;
using Type = TextWriter::Type;

// A labelled figure; absent ones are left out.
struct Figure {
  std::string_view label;
  double value;
};

}  // namespace

void BusinessCollector::WriteText(TextWriter& out) const {
  std::optional<double> breakeven;
  std::vector<Figure> progress;
  std::vector<Figure> income;
  std::optional<std::int64_t> projected_unix_ms;

  const std::int64_t now = now_unix_ms();
  engine().Read([&](const engine::EngineView& view) {
    const engine::BusinessRecords records = view.records();
    const std::int64_t day = view.calendar.LocalDayNumber(now);
    breakeven = engine::BreakevenTransactionsPerAtmDay(records, day);
    const std::pair<ProgressWindow, std::string_view> windows[] = {
        {ProgressWindow::kDay, "day"},
        {ProgressWindow::kTrailing7Days, "7d"},
        {ProgressWindow::kQuarterToDate, "quarter"},
        {ProgressWindow::kFiscalYearToDate, "fiscal_year"}};
    for (const auto& [window, label] : windows) {
      const engine::PeriodFigures figures =
          engine::FiguresFor(records, engine::WindowEndingOn(window, view.calendar, day));
      if (auto ratio = figures.progress_ratio()) progress.push_back({label, *ratio});
      if (window == ProgressWindow::kQuarterToDate || window == ProgressWindow::kFiscalYearToDate) {
        income.push_back({label, static_cast<double>(figures.operating_income_yen())});
      }
    }
    if (const auto projected_day = engine::ProjectBreakevenDay(records, day)) {
      projected_unix_ms = view.calendar.LocalMidnightUnixMs(*projected_day);
    }
  });

  // A figure that does not exist is left out, family and all, rather than
  // exported as NaN.
  if (breakeven) {
    out.Family("atmwatch_breakeven_transactions_per_atm_day",
               "Transactions per ATM per day at which commissions pay all costs, at today's fleet "
               "and the commission per transaction of the last 28 days.",
               Type::kGauge);
    out.Sample("atmwatch_breakeven_transactions_per_atm_day", {}, *breakeven);
  }
  if (!progress.empty()) {
    out.Family("atmwatch_breakeven_progress_ratio",
               "Revenue / costs over the window ending today (1 = breakeven): the day, the "
               "trailing 7 days, the fiscal quarter and the fiscal year to date.",
               Type::kGauge);
    for (const Figure& figure : progress) {
      out.Sample("atmwatch_breakeven_progress_ratio", {{"window", figure.label}}, figure.value);
    }
  }
  out.Family("atmwatch_operating_income_yen",
             "Operating income (revenue - cost - expenses) of the fiscal quarter and the fiscal "
             "year to date, yen.",
             Type::kGauge);
  for (const Figure& figure : income) {
    out.Sample("atmwatch_operating_income_yen", {{"period", figure.label}}, figure.value);
  }
  if (projected_unix_ms) {
    out.Family("atmwatch_breakeven_projected_date_seconds",
               "Local midnight of the day the trend of daily usage per ATM reaches breakeven, "
               "Unix seconds; absent when not within the horizon.",
               Type::kGauge);
    out.Sample("atmwatch_breakeven_projected_date_seconds", {},
               static_cast<double>(*projected_unix_ms / 1000));
  }
  out.Family("atmwatch_breakeven_projection_within_horizon",
             "1 when the usage trend reaches breakeven within the horizon (3 years), else 0.",
             Type::kGauge);
  out.Sample("atmwatch_breakeven_projection_within_horizon", {}, projected_unix_ms ? 1 : 0);
}

}  // namespace atmwatch::metrics
