#include "metrics/atm_collector.h"

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>

#include "atmwatch/v1/events.pb.h"
#include "engine/engine.h"

namespace atmwatch::metrics {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using v1::AtmTransaction;

// Label values of the proto enums, lower-case as Prometheus labels usually are.
constexpr const char* kTypeNames[] = {"", "withdrawal", "balance_inquiry", "deposit", "transfer"};
constexpr const char* kResultNames[] = {"", "approved", "declined", "error", "reversed"};

ClientMetric Sample(std::vector<ClientMetric::Label> labels, double value, MetricType type) {
  ClientMetric metric;
  metric.label = std::move(labels);
  if (type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return metric;
}

}  // namespace

std::vector<MetricFamily> AtmCollector::Collect() const {
  MetricFamily transactions{"atmwatch_atm_transactions_total",
                            "Transactions per ATM by type and result, since the daemon's data "
                            "directory was created.",
                            MetricType::Counter,
                            {}};
  MetricFamily info{"atmwatch_atm_info",
                    "Inventory data of each configured ATM; always 1. Join on atm_id.",
                    MetricType::Gauge,
                    {}};
  engine_.ForEachAtm([&](const engine::AtmView& atm) {
    for (int type = AtmTransaction::WITHDRAWAL; type <= AtmTransaction::TRANSFER; ++type) {
      for (int result = AtmTransaction::APPROVED; result <= AtmTransaction::REVERSED; ++result) {
        const auto count = atm.transactions[type][result];
        if (count == 0 && atm.inventory == nullptr) continue;
        transactions.metric.push_back(Sample(
            {{"atm_id", atm.id}, {"type", kTypeNames[type]}, {"result", kResultNames[result]}},
            static_cast<double>(count), MetricType::Counter));
      }
    }
    if (atm.inventory != nullptr) {
      const auto& inv = *atm.inventory;
      info.metric.push_back(Sample({{"atm_id", inv.id},
                                    {"site", inv.site},
                                    {"region", inv.region},
                                    {"line_id", inv.line_id},
                                    {"carrier", inv.carrier}},
                                   1, MetricType::Gauge));
    }
  });
  return {std::move(transactions), std::move(info)};
}

}  // namespace atmwatch::metrics
