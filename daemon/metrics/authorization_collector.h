#pragma once

#include "metrics/exposition.h"

namespace atmwatch::engine {
class Engine;
}

namespace atmwatch::metrics {

// Authorization health, rendered from the engine at scrape time:
//   atmwatch_issuer_withdrawals_total{issuer}               attempts over the fleet
//   atmwatch_issuer_withdrawals_failed_total{issuer,cause}  cause = issuer_error | declined
//   atmwatch_atm_withdrawals_failed_total{atm_id,cause}     per ATM, over its issuers
// An issuer outage is a fleet-level signal, the issuer's error share
// failed{cause="issuer_error"} / withdrawals; an ATM's own trouble shows in
// its failures by cause. Per ATM and issuer the series would number three an
// issuer, up to 54 an ATM (16 named issuers, "other", "unknown"): with 6
// issuers already a third of a national fleet's scrape.
//
// An ATM's attempts are
//   sum by (atm_id) (atmwatch_atm_transactions_total{type="withdrawal",result!="reversed"})
// since the engine (Engine::ApplyTransaction) counts every withdrawal there
// and in its authorization health, which ignores reversals: corrections, not
// attempts.
//
// Issuers and ATMs have series from their first withdrawal on, with both
// causes (0 until one happens) so that rate() sees the first failure of a
// cause. The issuer label set is bounded by the engine
// (engine/authorization_health.h). The engine must outlive the collector.
class AuthorizationCollector : public ScrapeSource {
 public:
  explicit AuthorizationCollector(const engine::Engine& engine) : engine_(engine) {}
  void WriteText(TextWriter& out) const override;

 private:
  const engine::Engine& engine_;
};

}  // namespace atmwatch::metrics
