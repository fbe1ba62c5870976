#pragma once

// The name a mistyped word most likely meant, for "did you mean" hints.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atmwatch::cli {

// Edits (insertions, deletions, substitutions, swaps of two neighbouring
// letters) that turn `a` into `b`.
int EditDistance(std::string_view a, std::string_view b);

// The candidate fewest edits away from `typed`, if it is close enough to be
// a typo (at most 2 edits, and fewer than the typed word's length); the
// first such candidate on a tie.
std::optional<std::string> NearestName(std::string_view typed,
                                       const std::vector<std::string>& candidates);

}  // namespace atmwatch::cli
