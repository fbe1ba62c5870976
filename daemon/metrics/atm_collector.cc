#include "metrics/atm_collector.h"

#include <algorithm>

#include "atmwatch/v1/events.pb.h"
#include "engine/engine.h"
#include "metrics/metric_samples.h"

namespace atmwatch::metrics {
namespace {

using prometheus::MetricFamily;
using prometheus::MetricType;
using v1::AtmTransaction;

// Label values of the proto enums, lower-case as Prometheus labels usually are.
constexpr const char* kTypeNames[] = {"", "withdrawal", "balance_inquiry", "deposit", "transfer"};
constexpr const char* kResultNames[] = {"", "approved", "declined", "error", "reversed"};

constexpr int kMinutesPerDay = 24 * 60;

}  // namespace

std::vector<MetricFamily> AtmCollector::Collect() const {
  MetricFamily transactions = Family(
      "atmwatch_atm_transactions_total",
      "Transactions per ATM by type and result, since the daemon's data directory was created.",
      MetricType::Counter);
  MetricFamily commission =
      Family("atmwatch_atm_commission_yen_total",
             "Commission credited per ATM, yen (fee schedule, or the host's commission_yen). "
             "Reversals are counted apart in atmwatch_atm_commission_reversed_yen_total.",
             MetricType::Counter);
  MetricFamily reversed =
      Family("atmwatch_atm_commission_reversed_yen_total",
             "Commission taken back by reversals per ATM, yen.", MetricType::Counter);
  MetricFamily today =
      Family("atmwatch_atm_transactions_today",
             "Transactions per ATM on the current local day so far; resets at local midnight.",
             MetricType::Gauge);
  MetricFamily expected =
      Family("atmwatch_atm_expected_transactions_today",
             "Transactions this ATM usually has done by this time of the local day (average of the "
             "same weekday over the trailing weeks; holidays count as Sundays).",
             MetricType::Gauge);
  MetricFamily average =
      Family("atmwatch_atm_daily_transactions_avg7d",
             "Average transactions per day over the 7 complete local days before today, of the "
             "days the ATM was in service.",
             MetricType::Gauge);
  MetricFamily last_transaction =
      Family("atmwatch_atm_last_transaction_timestamp_seconds",
             "Event time of the ATM's newest transaction, Unix seconds; 0 before the first.",
             MetricType::Gauge);
  MetricFamily last_heartbeat = Family(
      "atmwatch_atm_last_heartbeat_timestamp_seconds",
      "Event time of the ATM's newest status or heartbeat, Unix seconds; 0 before the first.",
      MetricType::Gauge);
  MetricFamily info =
      Family("atmwatch_atm_info",
             "Inventory data of each configured ATM; always 1. Join on atm_id.", MetricType::Gauge);

  const std::int64_t now = clock_();
  engine_.Read([&](const engine::EngineView& view) {
    const std::int64_t day = view.calendar.LocalDayNumber(now);
    const int minute = std::min(view.calendar.MinuteOfDay(now), kMinutesPerDay);
    for (engine::AtmIndex atm = 0; atm < view.fleet.size(); ++atm) {
      const std::string& id = view.fleet.id(atm);
      const engine::InventoryEntry* inventory = view.fleet.inventory(atm);
      const engine::AtmCounters& counters = view.atms[atm];
      for (int type = AtmTransaction::WITHDRAWAL; type <= AtmTransaction::TRANSFER; ++type) {
        for (int result = AtmTransaction::APPROVED; result <= AtmTransaction::REVERSED; ++result) {
          const auto count = counters.transactions[type][result];
          if (count == 0 && inventory == nullptr) continue;
          AddSample(transactions,
                    {{"atm_id", id}, {"type", kTypeNames[type]}, {"result", kResultNames[result]}},
                    static_cast<double>(count));
        }
      }
      AddSample(commission, {{"atm_id", id}}, static_cast<double>(counters.commission_earned_yen));
      AddSample(reversed, {{"atm_id", id}}, static_cast<double>(counters.commission_reversed_yen));
      const auto record = view.usage.Find(atm, day);
      AddSample(today, {{"atm_id", id}},
                record ? static_cast<double>(record->Transactions()) : 0.0);
      AddSample(expected, {{"atm_id", id}},
                baseline_.ExpectedSoFar(view.usage, view.calendar, atm, day, minute).transactions);
      AddSample(average, {{"atm_id", id}}, baseline_.DailyAverage(view.usage, atm, day));
      AddSample(last_transaction, {{"atm_id", id}},
                static_cast<double>(counters.last_transaction_unix_ms) / 1000.0);
      AddSample(last_heartbeat, {{"atm_id", id}},
                static_cast<double>(counters.last_status_unix_ms) / 1000.0);
      if (inventory != nullptr) {
        AddSample(info,
                  {{"atm_id", inventory->id},
                   {"site", inventory->site},
                   {"region", inventory->region},
                   {"line_id", inventory->line_id},
                   {"carrier", inventory->carrier}},
                  1);
      }
    }
  });
  std::vector<MetricFamily> families;
  for (MetricFamily* family : {&transactions, &commission, &reversed, &today, &expected, &average,
                               &last_transaction, &last_heartbeat, &info}) {
    families.push_back(std::move(*family));
  }
  return families;
}

}  // namespace atmwatch::metrics
