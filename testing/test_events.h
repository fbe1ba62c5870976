#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "atmwatch/v1/events.pb.h"

namespace atmwatch::testing {

// Wall-clock now, UTC milliseconds: event times the daemon accepts.
std::int64_t NowMs();

// An approved 10,000-yen withdrawal at `atm`, timed now.
v1::Envelope Withdrawal(const std::string& atm);

// A transaction of ATM0001 as an ATM sends it: a withdrawal is of 10,000
// yen; `commission_yen` when the sender priced it itself.
v1::AtmTransaction TransactionOf(v1::AtmTransaction::Type type, v1::AtmTransaction::Result result,
                                 std::string issuer = "",
                                 std::optional<std::int64_t> commission_yen = {});
v1::AtmTransaction WithdrawalOf(v1::AtmTransaction::Result result, std::string issuer = "");

// The /metrics series counting `atm`'s transactions of a type and result
// (label values as the daemon writes them, e.g. "withdrawal", "approved").
std::string TransactionSeries(const std::string& atm, const std::string& type,
                              const std::string& result);

}  // namespace atmwatch::testing
