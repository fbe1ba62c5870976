#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace atmwatch::journal {

// Parses an ISO 8601 timestamp with an explicit zone, "2026-11-25T18:03:11+09:00",
// "2026-11-25T09:03:11.250Z" (a space may replace the T; fractions beyond
// milliseconds are truncated), into UTC milliseconds since the epoch. A time
// without a zone is refused: a journal line must not depend on where the
// collector runs. nullopt on any error. Pure.
std::optional<std::int64_t> ParseIsoTimeMs(std::string_view text);

}  // namespace atmwatch::journal
