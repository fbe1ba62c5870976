#pragma once

#include "metrics/exposition.h"

namespace atmwatch::engine {
class Engine;
}

namespace atmwatch::metrics {

// Authorization health per ATM and card issuer, rendered from the engine at
// scrape time:
//   atmwatch_atm_withdrawals_total{atm_id,issuer}               attempts
//   atmwatch_atm_withdrawals_failed_total{atm_id,issuer,cause}  cause = issuer_error | declined
// so the error share is failed{cause="issuer_error"} / withdrawals, per
// issuer. Series exist for the issuers an ATM has had withdrawals from; the
// issuer label set is bounded by the engine (engine/authorization_health.h).
// The engine must outlive the collector.
class AuthorizationCollector : public ScrapeSource {
 public:
  explicit AuthorizationCollector(const engine::Engine& engine) : engine_(engine) {}
  void WriteText(TextWriter& out) const override;

 private:
  const engine::Engine& engine_;
};

}  // namespace atmwatch::metrics
