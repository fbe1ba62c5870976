#include "engine/authorization_health.h"

#include <algorithm>

#include "engine_state.pb.h"

namespace atmwatch::engine {
namespace {

// v1::AtmTransaction::Result values.
constexpr int kApproved = 1;
constexpr int kDeclined = 2;
constexpr int kError = 3;
constexpr int kOutcomesPerSlot = 3;

}  // namespace

AuthorizationHealth::AuthorizationHealth(std::size_t max_issuers) : max_issuers_(max_issuers) {}

std::size_t AuthorizationHealth::SlotOf(std::string_view issuer) {
  if (issuer.empty()) return 0;
  const auto it = std::find(issuers_.begin(), issuers_.end(), issuer);
  if (it != issuers_.end()) return kFixedSlots + static_cast<std::size_t>(it - issuers_.begin());
  if (issuers_.size() >= max_issuers_) return 1;
  issuers_.emplace_back(issuer);
  return kFixedSlots + issuers_.size() - 1;
}

std::string_view AuthorizationHealth::LabelOf(std::size_t slot) const {
  if (slot == 0) return kUnknownIssuer;
  if (slot == 1) return kOtherIssuers;
  return issuers_[slot - kFixedSlots];
}

void AuthorizationHealth::Count(AtmIndex atm, std::string_view issuer, int result) {
  if (result != kApproved && result != kDeclined && result != kError) return;
  const std::size_t slot = SlotOf(issuer);
  if (atm >= by_atm_.size()) by_atm_.resize(atm + 1);
  auto& slots = by_atm_[atm];
  if (slot >= slots.size()) slots.resize(slot + 1);
  AuthorizationOutcomes& outcomes = slots[slot];
  if (result == kApproved) ++outcomes.approved;
  if (result == kDeclined) ++outcomes.declined;
  if (result == kError) ++outcomes.errors;
}

void AuthorizationHealth::ForEachIssuer(
    AtmIndex atm,
    const std::function<void(std::string_view, const AuthorizationOutcomes&)>& visit) const {
  if (atm >= by_atm_.size()) return;
  const auto& slots = by_atm_[atm];
  for (std::size_t slot = 0; slot < slots.size(); ++slot) {
    if (slots[slot].attempts() > 0) visit(LabelOf(slot), slots[slot]);
  }
}

void AuthorizationHealth::Save(AuthorizationState* out, std::size_t atms) const {
  for (const std::string& issuer : issuers_) out->add_issuers(issuer);
  for (std::size_t atm = 0; atm < atms; ++atm) {
    AtmAuthorizationState* saved = out->add_atms();
    if (atm >= by_atm_.size()) continue;
    for (const AuthorizationOutcomes& outcomes : by_atm_[atm]) {
      saved->add_outcomes(outcomes.approved);
      saved->add_outcomes(outcomes.declined);
      saved->add_outcomes(outcomes.errors);
    }
  }
}

void AuthorizationHealth::Restore(const AuthorizationState& saved,
                                  std::span<const AtmIndex> atm_of_saved) {
  issuers_.assign(saved.issuers().begin(), saved.issuers().end());
  by_atm_.clear();
  const std::size_t atms = std::min<std::size_t>(saved.atms_size(), atm_of_saved.size());
  for (std::size_t i = 0; i < atms; ++i) {
    const auto& outcomes = saved.atms(static_cast<int>(i)).outcomes();
    const AtmIndex atm = atm_of_saved[i];
    if (atm >= by_atm_.size()) by_atm_.resize(atm + 1);
    auto& slots = by_atm_[atm];
    slots.resize(static_cast<std::size_t>(outcomes.size() / kOutcomesPerSlot));
    for (std::size_t slot = 0; slot < slots.size(); ++slot) {
      const int base = static_cast<int>(slot) * kOutcomesPerSlot;
      slots[slot] = {outcomes[base], outcomes[base + 1], outcomes[base + 2]};
    }
  }
}

}  // namespace atmwatch::engine
