#include "metrics/cash_collector.h"

#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

using Type = TextWriter::Type;

// One ATM's cash as of the scrape.
struct CashRow {
  std::string atm_label;  // atm_id="…"
  engine::CashPosition cash;
};

}  // namespace

void CashCollector::WriteText(TextWriter& out) const {
  std::vector<CashRow> rows;  // ATMs with a cash event
  engine_.Read([&](const engine::EngineView& view) {
    for (engine::AtmIndex atm = 0; atm < view.fleet.size(); ++atm) {
      const engine::CashPosition& cash = view.cash[atm];
      if (!cash.active()) continue;
      rows.push_back({TextWriter::RenderLabel("atm_id", view.fleet.id(atm)), cash});
    }
  });
  // A family without samples would only be HELP and TYPE lines.
  if (rows.empty()) return;

  out.Family("atmwatch_atm_cash_remaining_yen",
             "Cash left in the ATM's cassettes, yen: the last replenishment or device count, "
             "less the approved withdrawals since (reversals put back). Only ATMs with one.",
             Type::kGauge);
  for (const CashRow& row : rows) {
    if (!row.cash.known()) continue;
    out.Sample("atmwatch_atm_cash_remaining_yen", row.atm_label, {},
               static_cast<double>(row.cash.RemainingYen()));
  }
  const auto per_atm = [&](std::string_view name, std::string_view help, auto value_of) {
    out.Family(name, help, Type::kCounter);
    for (const CashRow& row : rows) {
      out.Sample(name, row.atm_label, {}, static_cast<double>(value_of(row.cash)));
    }
  };
  using Cash = engine::CashPosition;
  per_atm("atmwatch_atm_cash_dispensed_yen_total",
          "Yen of approved withdrawals dispensed from a known cash position, per ATM.",
          [](const Cash& cash) { return cash.dispensed_yen; });
  per_atm("atmwatch_atm_cash_returned_yen_total",
          "Yen of reversed withdrawals put back into a known cash position, per ATM.",
          [](const Cash& cash) { return cash.returned_yen; });
  per_atm("atmwatch_atm_cash_replenishments_total",
          "Replenishment visits per ATM (cassettes replaced).",
          [](const Cash& cash) { return cash.replenishments; });
  per_atm("atmwatch_atm_cash_in_transit_cost_yen_total",
          "Cash-in-transit cost of the replenishment visits per ATM, yen.",
          [](const Cash& cash) { return cash.in_transit_cost_yen; });
  per_atm("atmwatch_atm_cash_discrepancies_total",
          "Device counts that differed from the computed cash position, per ATM.",
          [](const Cash& cash) { return cash.discrepancies; });
  per_atm("atmwatch_atm_cash_discrepancy_yen_total",
          "Yen by which device counts differed from the computed position (per denomination, "
          "absolute), per ATM.",
          [](const Cash& cash) { return cash.discrepancy_yen; });
  per_atm("atmwatch_atm_cash_short_withdrawals_total",
          "Approved withdrawals the computed position could not make from its notes, per ATM.",
          [](const Cash& cash) { return cash.short_withdrawals; });
  per_atm("atmwatch_atm_cash_late_events_total",
          "Withdrawals, reversals, counts and visits older than the ATM's cash position, which "
          "left its notes alone, per ATM.",
          [](const Cash& cash) { return cash.late_events; });
}

}  // namespace atmwatch::metrics
