#pragma once

// For the engine's tests: usage records as the engine would apply them.

#include <cstdint>

#include "engine/daily_usage.h"

namespace atmwatch::engine {

// An approved 10,000-yen withdrawal at `atm`, at noon of local `day`,
// earning `commission_yen`.
void AddWithdrawal(DailyUsage& usage, AtmIndex atm, int64_t day, int64_t commission_yen);

}  // namespace atmwatch::engine
