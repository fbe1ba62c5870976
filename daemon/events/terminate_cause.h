#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

// Why a data session ended, as a bounded set fit for a metric label: the
// RFC 2866 §5.10 Acct-Terminate-Cause values under their own numbers, plus
// "unknown" (a session that ended without a cause: no Stop, or a Stop
// without Acct-Terminate-Cause) and "other" (a cause outside the RFC's list).
// The numbers index snapshots, so causes are only ever appended. One table
// for the RADIUS collector, which names the cause of a packet, and the
// daemon, which counts it.
namespace atmwatch::events {

enum class TerminateCause : std::uint8_t {
  kUnknown = 0,
  kUserRequest = 1,
  kLostCarrier = 2,
  kLostService = 3,
  kIdleTimeout = 4,
  kSessionTimeout = 5,
  kAdminReset = 6,
  kAdminReboot = 7,
  kPortError = 8,
  kNasError = 9,
  kNasRequest = 10,
  kNasReboot = 11,
  kPortUnneeded = 12,
  kPortPreempted = 13,
  kPortSuspended = 14,
  kServiceUnavailable = 15,
  kCallback = 16,
  kUserError = 17,
  kHostRequest = 18,
  kOther = 19,
};
inline constexpr std::size_t kTerminateCauseCount = 20;

// The cause a LineEvent names: the RFC name ("Lost-Carrier") or its label
// ("lost_carrier"), in any case; empty is kUnknown, anything else kOther.
// Allocation-free: it runs for every Accounting-Stop.
TerminateCause TerminateCauseOf(std::string_view name);

// The cause of an Acct-Terminate-Cause attribute's value: 1..18 are the
// RFC's, anything else kOther.
TerminateCause TerminateCauseOfRfcValue(std::uint32_t value);

// snake_case label: "lost_carrier", "unknown", "other".
std::string_view TerminateCauseLabel(TerminateCause cause);

// The RFC's name: "Lost-Carrier", "NAS-Error"; "Other" for kOther and ""
// for kUnknown.
std::string_view TerminateCauseRfcName(TerminateCause cause);

}  // namespace atmwatch::events
