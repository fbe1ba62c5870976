#pragma once

// Authorization health: per ATM and card issuer, how withdrawals ended —
// approved, declined (the customer or the issuer said no: wrong PIN, no
// funds) or failed with an error (the host or the issuer link is down). An
// ATM whose issuer link is broken looks like one with low usage, but it is
// an outage; the error share per issuer tells the two apart.
//
// Issuers are label values, so their number is bounded: the first
// `max_issuers` distinct bank codes seen get their own slot (in the order
// first seen, which replay reproduces and snapshots keep), later ones share
// "other", and withdrawals without an issuer count under "unknown".
//
// Not thread-safe; the engine serialises access.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/fleet.h"

namespace atmwatch::engine {

class AuthorizationState;

struct AuthorizationOutcomes {
  uint64_t approved = 0;
  uint64_t declined = 0;
  uint64_t errors = 0;

  uint64_t attempts() const { return approved + declined + errors; }
};

class AuthorizationHealth {
 public:
  static constexpr std::size_t kDefaultMaxIssuers = 16;
  static constexpr std::string_view kUnknownIssuer = "unknown";
  static constexpr std::string_view kOtherIssuers = "other";

  explicit AuthorizationHealth(std::size_t max_issuers = kDefaultMaxIssuers);

  // Counts one withdrawal of `atm` by the proto result value; REVERSED (a
  // later correction, not an attempt) and unspecified results are ignored.
  void Count(AtmIndex atm, std::string_view issuer, int result);
  // Starts loading the ATM's outcomes, for a Count a few events later.
  void Prefetch(AtmIndex atm) const {
    if (atm < by_atm_.size() && !by_atm_[atm].empty()) __builtin_prefetch(by_atm_[atm].data());
  }

  // Calls `visit` for each issuer label `atm` has had a withdrawal from.
  void ForEachIssuer(AtmIndex atm,
                     const std::function<void(std::string_view issuer,
                                              const AuthorizationOutcomes&)>& visit) const;

  // Snapshots. `atm_of_saved[i]` is the index the i-th saved ATM has now.
  void Save(AuthorizationState* out, std::size_t atms) const;
  void Restore(const AuthorizationState& saved, std::span<const AtmIndex> atm_of_saved);

 private:
  // Slots 0 and 1 are "unknown" and "other"; named issuers follow.
  static constexpr std::size_t kFixedSlots = 2;

  std::size_t SlotOf(std::string_view issuer);
  std::string_view LabelOf(std::size_t slot) const;

  std::size_t max_issuers_;
  std::vector<std::string> issuers_;                        // named, slot - kFixedSlots
  std::vector<std::vector<AuthorizationOutcomes>> by_atm_;  // [atm][slot], grown on use
};

}  // namespace atmwatch::engine
