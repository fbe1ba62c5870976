#include "metrics/authorization_collector.h"

#include "engine/engine.h"
#include "metrics/metric_samples.h"

namespace atmwatch::metrics {

using prometheus::MetricFamily;
using prometheus::MetricType;

std::vector<MetricFamily> AuthorizationCollector::Collect() const {
  MetricFamily attempts = Family(
      "atmwatch_atm_withdrawals_total",
      "Withdrawal attempts per ATM and card issuer (approved, declined or failed with an error).",
      MetricType::Counter);
  MetricFamily failed = Family(
      "atmwatch_atm_withdrawals_failed_total",
      "Withdrawals that failed per ATM and card issuer: cause=issuer_error when the host or the "
      "issuer link failed (an outage), cause=declined when the customer or issuer said no.",
      MetricType::Counter);
  engine_.Read([&](const engine::EngineView& view) {
    for (engine::AtmIndex atm = 0; atm < view.fleet.size(); ++atm) {
      const std::string& id = view.fleet.id(atm);
      view.authorization.ForEachIssuer(
          atm, [&](std::string_view issuer, const engine::AuthorizationOutcomes& outcomes) {
            const std::string label(issuer);
            AddSample(attempts, {{"atm_id", id}, {"issuer", label}},
                      static_cast<double>(outcomes.attempts()));
            AddSample(failed, {{"atm_id", id}, {"issuer", label}, {"cause", "issuer_error"}},
                      static_cast<double>(outcomes.errors));
            AddSample(failed, {{"atm_id", id}, {"issuer", label}, {"cause", "declined"}},
                      static_cast<double>(outcomes.declined));
          });
    }
  });
  std::vector<MetricFamily> families;
  for (MetricFamily* family : {&attempts, &failed}) {
    // A family without samples would only be HELP and TYPE lines.
    if (!family->metric.empty()) families.push_back(std::move(*family));
  }
  return families;
}

}  // namespace atmwatch::metrics
