#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atmwatch::engine {

// Maps ids to the dense indexes of a vector that holds them, for the one
// lookup every event pays. An open-addressing table of 8-byte slots (part
// of the hash, the index), so a lookup costs one probe into a table that
// stays in cache and one string compare; std::unordered_map costs a chain
// of node pointers, and with a string_view hash it rehashes keys to walk
// the chain.
//
// The ids themselves stay in the owner's vector: Find and Insert take it.
class IdIndex {
 public:
  std::optional<std::uint32_t> Find(std::string_view id, const std::vector<std::string>& ids) const;
  // Starts loading the slot where a Find of `id` begins, for a lookup a
  // few events later.
  void Prefetch(std::string_view id) const;
  // Adds ids[index] (which must not be indexed yet).
  void Insert(std::uint32_t index, const std::vector<std::string>& ids);
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint32_t tag = 0;  // the hash's upper half, to skip most compares
    std::uint32_t index = kEmpty;
  };
  static constexpr std::uint32_t kEmpty = 0xffffffff;

  void Grow(const std::vector<std::string>& ids);
  void Place(std::uint64_t hash, std::uint32_t index);

  std::vector<Slot> slots_;  // a power of two in size, at most half full
  std::size_t size_ = 0;
};

}  // namespace atmwatch::engine
