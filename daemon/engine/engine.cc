#include "engine/engine.h"

#include <mutex>

#include "engine_state.pb.h"

namespace atmwatch::engine {

Engine::Engine(std::vector<InventoryEntry> inventory, std::size_t max_unknown_atms)
    : fleet_(std::move(inventory), max_unknown_atms), transactions_(fleet_.size()) {}

std::optional<std::string_view> Engine::Apply(const v1::Envelope& event) {
  std::unique_lock lock(mutex_);
  switch (event.event_case()) {
    case v1::Envelope::kTransaction:
      return ApplyTransaction(event.transaction());
    case v1::Envelope::kStatus:
      // The status of an unknown ATM still counts towards the cap: it would
      // otherwise create series the operator never configured.
      if (!fleet_.Resolve(event.status().atm_id())) return "unknown_atm_cap";
      transactions_.resize(fleet_.size());
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<std::string_view> Engine::ApplyTransaction(const v1::AtmTransaction& tx) {
  const auto atm = fleet_.Resolve(tx.atm_id());
  if (!atm) return "unknown_atm_cap";
  if (*atm >= transactions_.size()) transactions_.resize(fleet_.size());
  ++transactions_[*atm][tx.type()][tx.result()];
  return std::nullopt;
}

void Engine::SetInventory(std::vector<InventoryEntry> inventory, std::size_t max_unknown_atms) {
  std::unique_lock lock(mutex_);
  fleet_.SetInventory(std::move(inventory));
  fleet_.set_max_unknown_atms(max_unknown_atms);
  transactions_.resize(fleet_.size());
}

void Engine::ForEachAtm(const std::function<void(const AtmView&)>& visit) const {
  std::shared_lock lock(mutex_);
  for (AtmIndex atm = 0; atm < fleet_.size(); ++atm) {
    visit(AtmView{fleet_.id(atm), fleet_.inventory(atm), transactions_[atm]});
  }
}

std::size_t Engine::unknown_atms() const {
  std::shared_lock lock(mutex_);
  return fleet_.unknown_count();
}

}  // namespace atmwatch::engine

namespace atmwatch::engine {

std::string Engine::SerializeState() const {
  std::shared_lock lock(mutex_);
  EngineState state;
  for (AtmIndex atm = 0; atm < fleet_.size(); ++atm) {
    auto* saved = state.add_atms();
    saved->set_id(fleet_.id(atm));
    for (const auto& row : transactions_[atm]) {
      for (const auto count : row) saved->add_transactions(count);
    }
  }
  return state.SerializeAsString();
}

bool Engine::RestoreState(std::string_view bytes) {
  EngineState state;
  if (!state.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return false;
  std::unique_lock lock(mutex_);
  for (auto& counts : transactions_) counts = {};
  for (const auto& saved : state.atms()) {
    const AtmIndex atm = fleet_.Adopt(saved.id());
    if (atm >= transactions_.size()) transactions_.resize(fleet_.size());
    auto& counts = transactions_[atm];
    const int n = std::min<int>(saved.transactions_size(), 25);
    for (int i = 0; i < n; ++i) counts[i / 5][i % 5] = saved.transactions(i);
  }
  return true;
}

}  // namespace atmwatch::engine
