#include "engine/id_index.h"

#include <functional>

namespace atmwatch::engine {
namespace {

std::uint64_t HashOf(std::string_view id) { return std::hash<std::string_view>{}(id); }
std::uint32_t TagOf(std::uint64_t hash) { return static_cast<std::uint32_t>(hash >> 32); }

}  // namespace

std::optional<std::uint32_t> IdIndex::Find(std::string_view id,
                                           const std::vector<std::string>& ids) const {
  if (slots_.empty()) return std::nullopt;
  const std::uint64_t hash = HashOf(id);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.index == kEmpty) return std::nullopt;
    if (slot.tag == TagOf(hash) && ids[slot.index] == id) return slot.index;
  }
}

void IdIndex::Prefetch(std::string_view id) const {
  if (!slots_.empty()) __builtin_prefetch(&slots_[HashOf(id) & (slots_.size() - 1)]);
}

void IdIndex::Insert(std::uint32_t index, const std::vector<std::string>& ids) {
  if (2 * (size_ + 1) > slots_.size()) Grow(ids);
  Place(HashOf(ids[index]), index);
  ++size_;
}

void IdIndex::Grow(const std::vector<std::string>& ids) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : 2 * old.size(), Slot{});
  for (const Slot& slot : old) {
    if (slot.index != kEmpty) Place(HashOf(ids[slot.index]), slot.index);
  }
}

void IdIndex::Place(std::uint64_t hash, std::uint32_t index) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i].index != kEmpty) i = (i + 1) & mask;
  slots_[i] = Slot{TagOf(hash), index};
}

}  // namespace atmwatch::engine
