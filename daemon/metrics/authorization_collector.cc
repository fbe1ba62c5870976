#include "metrics/authorization_collector.h"

#include <string>
#include <vector>

#include "engine/engine.h"
#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

// One ATM and issuer's outcomes as of the scrape, copied out of the engine.
struct IssuerRow {
  engine::AtmIndex atm;
  std::string issuer;
  engine::AuthorizationOutcomes outcomes;
};

}  // namespace

void AuthorizationCollector::WriteText(TextWriter& out) const {
  std::vector<std::string> atm_labels;  // atm_id="…" by AtmIndex
  std::vector<IssuerRow> rows;
  engine_.Read([&](const engine::EngineView& view) {
    atm_labels.resize(view.fleet.size());
    for (engine::AtmIndex atm = 0; atm < view.fleet.size(); ++atm) {
      atm_labels[atm] = TextWriter::RenderLabel("atm_id", view.fleet.id(atm));
      view.authorization.ForEachIssuer(
          atm, [&](std::string_view issuer, const engine::AuthorizationOutcomes& outcomes) {
            rows.push_back({atm, std::string(issuer), outcomes});
          });
    }
  });
  // A family without samples would only be HELP and TYPE lines.
  if (rows.empty()) return;

  out.Family(
      "atmwatch_atm_withdrawals_total",
      "Withdrawal attempts per ATM and card issuer (approved, declined or failed with an error).",
      TextWriter::Type::kCounter);
  for (const IssuerRow& row : rows) {
    out.Sample("atmwatch_atm_withdrawals_total", atm_labels[row.atm], {{"issuer", row.issuer}},
               static_cast<double>(row.outcomes.attempts()));
  }
  out.Family(
      "atmwatch_atm_withdrawals_failed_total",
      "Withdrawals that failed per ATM and card issuer: cause=issuer_error when the host or the "
      "issuer link failed (an outage), cause=declined when the customer or issuer said no.",
      TextWriter::Type::kCounter);
  for (const IssuerRow& row : rows) {
    const std::string& atm_label = atm_labels[row.atm];
    out.Sample("atmwatch_atm_withdrawals_failed_total", atm_label,
               {{"issuer", row.issuer}, {"cause", "issuer_error"}},
               static_cast<double>(row.outcomes.errors));
    out.Sample("atmwatch_atm_withdrawals_failed_total", atm_label,
               {{"issuer", row.issuer}, {"cause", "declined"}},
               static_cast<double>(row.outcomes.declined));
  }
}

}  // namespace atmwatch::metrics
