#include "metrics/authorization_collector.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

// One issuer's outcomes over the fleet as of the scrape.
struct IssuerRow {
  std::string issuer;
  engine::AuthorizationOutcomes outcomes;
};

// One ATM's outcomes over its issuers as of the scrape.
struct AtmRow {
  std::string atm_label;  // atm_id="…"
  engine::AuthorizationOutcomes outcomes;
};

void Add(engine::AuthorizationOutcomes& total, const engine::AuthorizationOutcomes& outcomes) {
  total.approved += outcomes.approved;
  total.declined += outcomes.declined;
  total.errors += outcomes.errors;
}

}  // namespace

void AuthorizationCollector::WriteText(TextWriter& out) const {
  std::vector<IssuerRow> issuers;  // in the order first seen; at most the engine's bound
  std::vector<AtmRow> atms;        // those with a withdrawal
  engine_.Read([&](const engine::EngineView& view) {
    for (engine::AtmIndex atm = 0; atm < view.fleet.size(); ++atm) {
      engine::AuthorizationOutcomes atm_total;
      view.authorization.ForEachIssuer(
          atm, [&](std::string_view issuer, const engine::AuthorizationOutcomes& outcomes) {
            auto row = std::find_if(issuers.begin(), issuers.end(),
                                    [&](const IssuerRow& seen) { return seen.issuer == issuer; });
            if (row == issuers.end()) {
              row = issuers.insert(issuers.end(), {std::string(issuer), {}});
            }
            Add(row->outcomes, outcomes);
            Add(atm_total, outcomes);
          });
      if (atm_total.attempts() > 0) {
        atms.push_back({TextWriter::RenderLabel("atm_id", view.fleet.id(atm)), atm_total});
      }
    }
  });
  // A family without samples would only be HELP and TYPE lines.
  if (issuers.empty()) return;

  out.Family("atmwatch_issuer_withdrawals_total",
             "Withdrawal attempts by card issuer over the fleet (approved, declined or failed "
             "with an error).",
             TextWriter::Type::kCounter);
  for (const IssuerRow& row : issuers) {
    out.Sample("atmwatch_issuer_withdrawals_total", {{"issuer", row.issuer}},
               static_cast<double>(row.outcomes.attempts()));
  }
  out.Family("atmwatch_issuer_withdrawals_failed_total",
             "Withdrawals that failed by card issuer over the fleet: cause=issuer_error when the "
             "host or the issuer link failed (an outage), cause=declined when the customer or "
             "issuer said no.",
             TextWriter::Type::kCounter);
  for (const IssuerRow& row : issuers) {
    out.Sample("atmwatch_issuer_withdrawals_failed_total",
               {{"issuer", row.issuer}, {"cause", "issuer_error"}},
               static_cast<double>(row.outcomes.errors));
    out.Sample("atmwatch_issuer_withdrawals_failed_total",
               {{"issuer", row.issuer}, {"cause", "declined"}},
               static_cast<double>(row.outcomes.declined));
  }
  out.Family("atmwatch_atm_withdrawals_failed_total",
             "Withdrawals that failed per ATM, over all card issuers: cause=issuer_error when the "
             "host or the issuer link failed, cause=declined when the customer or issuer said no. "
             "The attempts are the ATM's atmwatch_atm_transactions_total of type withdrawal but "
             "for result reversed.",
             TextWriter::Type::kCounter);
  for (const AtmRow& row : atms) {
    out.Sample("atmwatch_atm_withdrawals_failed_total", row.atm_label, {{"cause", "issuer_error"}},
               static_cast<double>(row.outcomes.errors));
    out.Sample("atmwatch_atm_withdrawals_failed_total", row.atm_label, {{"cause", "declined"}},
               static_cast<double>(row.outcomes.declined));
  }
}

}  // namespace atmwatch::metrics
