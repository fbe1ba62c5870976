#include "engine/usage_testing.h"

namespace atmwatch::engine {

void AddWithdrawal(DailyUsage& usage, AtmIndex atm, int64_t day, int64_t commission_yen) {
  usage.Add({.atm = atm,
             .local_day = day,
             .hour = 12,
             .time_unix_ms = day * 86'400'000,
             .type = kWithdrawal,
             .result = kApproved,
             .amount_yen = 10000,
             .commission_yen = commission_yen});
}

}  // namespace atmwatch::engine
