#pragma once

// One ATM's usage on one local day, as DailyUsage keeps it in both of its
// tiers (the recent ring and the compact history of older days).

#include <array>
#include <cstdint>
#include <limits>

namespace atmwatch::engine {

// Transaction types and results are the proto enum values 1..4
// (v1::AtmTransaction::Type and ::Result); 0 (unspecified) never gets here.
inline constexpr int kTransactionTypes = 4;
inline constexpr int kTransactionResults = 4;
inline constexpr int kWithdrawal = 1;  // v1::AtmTransaction::WITHDRAWAL
inline constexpr int kApproved = 1;    // v1::AtmTransaction::APPROVED
inline constexpr int kReversed = 4;    // v1::AtmTransaction::REVERSED

// 44 bytes, as there is one per ATM and recent day. Sums saturate like the
// counts (an ATM dispenses a few ten million yen a day, far from the two
// billion an int32_t holds); fleet totals are exact.
struct AtmDayUsage {
  int32_t day = std::numeric_limits<int32_t>::min();  // local day number
  std::array<uint16_t, kTransactionTypes * kTransactionResults> counts{};
  int32_t withdrawal_yen = 0;
  int32_t commission_yen = 0;

  uint32_t Count(int type, int result) const;
  uint64_t Transactions() const;
  bool operator==(const AtmDayUsage&) const = default;
};

}  // namespace atmwatch::engine
