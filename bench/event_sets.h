#pragma once

// Reproducible event sets for the benchmarks: the same events, from the same
// seed, for the replay client, the mtail comparison and the scrape kernels.
// Pure generation, no I/O: callers decide where the events go.

#include <cstdint>
#include <functional>
#include <string>

#include "atmwatch/v1/events.pb.h"

namespace atmwatch::bench {

// "ATM00042": the ids atmwatch-load uses too, so its load lands on the same ATMs.
std::string AtmId(int number);
// The MVNO line of line number `number` (1-based); the inventory binds line
// n to ATM n for n up to the number of bound lines.
std::string LineId(int number);
const char* CarrierOf(int number);

// Label values as the daemon exports them ("withdrawal", "approved").
const char* TypeName(int type);
const char* ResultName(int result);

using EventSink = std::function<void(const v1::Envelope&)>;

// A mixed transaction stream: every type and result, each with an explicit
// commission_yen (110 or 220 on approved and reversed withdrawals, 0 on the
// rest) so that every consumer sums the same commission without a fee
// schedule. Event i happens at first_unix_ms + i.
struct TransactionMix {
  std::int64_t events = 0;
  int atms = 10000;
  std::int64_t first_unix_ms = 0;
  std::uint64_t seed = 7;
};
void GenerateTransactions(const TransactionMix& mix, const EventSink& sink);

// A fleet with history, oldest first: for each of `days` local days (+09:00)
// before and including today, `per_day` transactions per ATM (`recent_per_day`
// in the last `recent_days`, which feed the hourly baselines), at business
// hours and never after now; then an ATTACH and a SESSION_START for each of
// `lines` MVNO lines, a few minutes before now.
struct FleetHistory {
  int atms = 15000;
  int days = 400;
  int per_day = 1;
  int recent_days = 35;
  int recent_per_day = 4;
  int lines = 200000;
  std::int64_t now_unix_ms = 0;
  std::uint64_t seed = 11;
};
void GenerateHistory(const FleetHistory& history, const EventSink& sink);

}  // namespace atmwatch::bench
