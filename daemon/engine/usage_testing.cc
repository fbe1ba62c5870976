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

void TestBooks::Use(int atms, int64_t first, int64_t last,
                    const std::function<int(int64_t)>& per_atm) {
  for (int64_t day = first; day <= last; ++day) {
    for (AtmIndex atm = 0; atm < static_cast<AtmIndex>(atms); ++atm) {
      for (int n = 0; n < per_atm(day); ++n) AddWithdrawal(usage_, atm, day, 100);
    }
  }
}

}  // namespace atmwatch::engine
