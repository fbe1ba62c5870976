#include "metrics/atm_collector.h"

#include <algorithm>
#include <iterator>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "atmwatch/v1/events.pb.h"
#include "engine/engine.h"
#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

using Type = TextWriter::Type;
using v1::AtmTransaction;

// Label values of the proto enums, lower-case as Prometheus labels usually are.
constexpr const char* kTypeNames[] = {"", "withdrawal", "balance_inquiry", "deposit", "transfer"};
constexpr const char* kResultNames[] = {"", "approved", "declined", "error", "reversed"};

constexpr int kMinutesPerDay = 24 * 60;
constexpr engine::AtmIndex kPrefetchAhead = 4;

// One ATM's figures as of the scrape, copied out of the engine.
struct AtmRow {
  std::string atm_label;  // atm_id="…"
  bool in_inventory = false;
  engine::TransactionCounts transactions{};
  std::int64_t commission_earned_yen = 0;
  std::int64_t commission_reversed_yen = 0;
  std::uint32_t transactions_today = 0;
  double expected_today = 0;
  double average_7d = 0;
  std::int64_t last_transaction_unix_ms = 0;
  std::int64_t last_status_unix_ms = 0;
};

struct InventoryRow {
  std::string id, site, region, line_id, carrier;
};

}  // namespace

void AtmCollector::WriteText(TextWriter& out) const {
  std::vector<AtmRow> rows;
  std::vector<InventoryRow> inventory_rows;
  const std::int64_t now = now_unix_ms();
  std::lock_guard past_lock(past_mutex_);
  engine().Read([&](const engine::EngineView& view) {
    const std::int64_t day = view.calendar.LocalDayNumber(now);
    const int minute = std::min(view.calendar.MinuteOfDay(now), kMinutesPerDay);
    const std::vector<std::int64_t> reference_days =
        baseline_.ReferenceDays(view.usage, view.calendar, day);
    // A new day, or new holidays: nothing kept holds.
    if (day != past_day_ || reference_days != past_reference_days_) {
      past_.clear();
      past_day_ = day;
      past_reference_days_ = reference_days;
    }
    past_.resize(view.fleet.size());
    rows.resize(view.fleet.size());
    for (engine::AtmIndex atm = 0; atm < view.fleet.size(); ++atm) {
      // An ATM's figures are a dozen cache misses apart (today's record, the
      // reference days' hours, last week's records): ask for those of an ATM
      // a few places ahead while this one is read.
      if (const engine::AtmIndex ahead = atm + kPrefetchAhead; ahead < view.fleet.size()) {
        view.usage.Prefetch(ahead, day);
        if (!past_[ahead].known) {
          for (const std::int64_t reference : reference_days) view.usage.Prefetch(ahead, reference);
          for (std::int64_t back = 1; back <= engine::UsageBaseline::kAverageDays; back += 2) {
            view.usage.Prefetch(ahead, day - back);
          }
        }
      }
      const engine::InventoryEntry* inventory = view.fleet.inventory(atm);
      const engine::AtmCounters& counters = view.atms[atm];
      AtmRow& row = rows[atm];
      row.atm_label = TextWriter::RenderLabel("atm_id", view.fleet.id(atm));
      row.in_inventory = inventory != nullptr;
      row.transactions = counters.transactions;
      row.commission_earned_yen = counters.commission_earned_yen;
      row.commission_reversed_yen = counters.commission_reversed_yen;
      const auto record = view.usage.Find(atm, day);
      row.transactions_today = record ? record->Transactions() : 0;
      PastDays& past = past_[atm];
      const engine::PastDaysStamp stamp = view.usage.PastDaysStampOf(atm);
      if (!past.known || past.stamp != stamp || stamp.latest_day < day) {
        past = {.stamp = stamp,
                .known = true,
                .expected = baseline_.ExpectedDay(view.usage, reference_days, atm),
                .average_7d = baseline_.DailyAverage(view.usage, atm, day)};
      }
      row.expected_today = past.expected.SoFar(minute).transactions;
      row.average_7d = past.average_7d;
      row.last_transaction_unix_ms = counters.last_transaction_unix_ms;
      row.last_status_unix_ms = counters.last_status_unix_ms;
      if (inventory != nullptr) {
        inventory_rows.push_back({inventory->id, inventory->site, inventory->region,
                                  inventory->line_id, inventory->carrier});
      }
    }
  });

  out.Family(
      "atmwatch_atm_transactions_total",
      "Transactions per ATM by type and result, since the daemon's data directory was created.",
      Type::kCounter);
  std::string kind_labels[std::size(kTypeNames)][std::size(kResultNames)];
  for (int type = AtmTransaction::WITHDRAWAL; type <= AtmTransaction::TRANSFER; ++type) {
    for (int result = AtmTransaction::APPROVED; result <= AtmTransaction::REVERSED; ++result) {
      kind_labels[type][result] = TextWriter::RenderLabel("type", kTypeNames[type]) + "," +
                                  TextWriter::RenderLabel("result", kResultNames[result]);
    }
  }
  for (const AtmRow& row : rows) {
    for (int type = AtmTransaction::WITHDRAWAL; type <= AtmTransaction::TRANSFER; ++type) {
      for (int result = AtmTransaction::APPROVED; result <= AtmTransaction::REVERSED; ++result) {
        const auto count = row.transactions[type][result];
        if (count == 0 && !row.in_inventory) continue;
        out.SampleRendered("atmwatch_atm_transactions_total", row.atm_label,
                           kind_labels[type][result], static_cast<double>(count));
      }
    }
  }
  // The families with one sample per ATM.
  const auto per_atm = [&](std::string_view name, std::string_view help, Type type, auto value_of) {
    out.Family(name, help, type);
    for (const AtmRow& row : rows) out.Sample(name, row.atm_label, {}, value_of(row));
  };
  per_atm("atmwatch_atm_commission_yen_total",
          "Commission credited per ATM, yen (fee schedule, or the host's commission_yen). "
          "Reversals are counted apart in atmwatch_atm_commission_reversed_yen_total.",
          Type::kCounter,
          [](const AtmRow& row) { return static_cast<double>(row.commission_earned_yen); });
  per_atm("atmwatch_atm_commission_reversed_yen_total",
          "Commission taken back by reversals per ATM, yen.", Type::kCounter,
          [](const AtmRow& row) { return static_cast<double>(row.commission_reversed_yen); });
  per_atm("atmwatch_atm_transactions_today",
          "Transactions per ATM on the current local day so far; resets at local midnight.",
          Type::kGauge,
          [](const AtmRow& row) { return static_cast<double>(row.transactions_today); });
  per_atm("atmwatch_atm_expected_transactions_today",
          "Transactions this ATM usually has done by this time of the local day (average of the "
          "same weekday over the trailing weeks; holidays count as Sundays).",
          Type::kGauge, [](const AtmRow& row) { return row.expected_today; });
  per_atm("atmwatch_atm_daily_transactions_avg7d",
          "Average transactions per day over the 7 complete local days before today, of the "
          "days the ATM was in service.",
          Type::kGauge, [](const AtmRow& row) { return row.average_7d; });
  per_atm(
      "atmwatch_atm_last_transaction_timestamp_seconds",
      "Event time of the ATM's newest transaction, Unix seconds; 0 before the first.", Type::kGauge,
      [](const AtmRow& row) { return static_cast<double>(row.last_transaction_unix_ms) / 1000.0; });
  per_atm("atmwatch_atm_last_heartbeat_timestamp_seconds",
          "Event time of the ATM's newest status or heartbeat, Unix seconds; 0 before the first.",
          Type::kGauge,
          [](const AtmRow& row) { return static_cast<double>(row.last_status_unix_ms) / 1000.0; });

  out.Family("atmwatch_atm_info",
             "Inventory data of each configured ATM; always 1. Join on atm_id.", Type::kGauge);
  for (const InventoryRow& row : inventory_rows) {
    out.Sample("atmwatch_atm_info",
               {{"atm_id", row.id},
                {"site", row.site},
                {"region", row.region},
                {"line_id", row.line_id},
                {"carrier", row.carrier}},
               1);
  }
}

}  // namespace atmwatch::metrics
