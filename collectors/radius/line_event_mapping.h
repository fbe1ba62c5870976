#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "atmwatch/v1/events.pb.h"
#include "common/result.h"
#include "radius/accounting_record.h"

// Accounting records as LineEvents. Pure and thread-safe.
//
// Field mapping (Start, Interim-Update, Stop):
//   Calling-Station-Id            -> line_id (the line's MSISDN)
//   Acct-Session-Id               -> session_id
//   Acct-Output-Octets/Gigawords  -> bytes_in   RFC 2866 counts from the NAS
//   Acct-Input-Octets/Gigawords   -> bytes_out  port: Output is sent *to* the
//                                    line (downlink), Input comes *from* it
//   Framed-IP-Address             -> framed_ip
//   Acct-Terminate-Cause          -> terminate_cause (Stop only; a bounded set)
//   signal_attribute (a VSA)      -> signal_dbm (collector_config.h)
//   Event-Timestamp, else arrival - Acct-Delay-Time -> time_unix_ms
// Accounting-On/Off say something about a whole NAS, not one line; see
// DetachEvent and open_session_index.h.
namespace atmwatch::radius {

enum class MappingError : std::uint8_t {
  kNotASessionRecord,        // Accounting-On/Off go through DetachEvent
  kMissingSessionId,         // RFC 2866 §5.5: every session record carries one
  kMissingCallingStationId,  // nothing names the line
  kStringNotUtf8,            // Calling-Station-Id or Acct-Session-Id: the daemon
                             // would refuse the whole Batch holding the event
};

std::string_view ReasonName(MappingError reason);

Result<v1::Envelope, MappingError> SessionEvent(const AccountingRecord& record,
                                                std::string_view carrier,
                                                std::chrono::system_clock::time_point arrival);

// The line whose open session a NAS dropped by Accounting-On (it rebooted:
// whatever it had is gone) or Accounting-Off (it stops serving).
v1::Envelope DetachEvent(std::string_view line_id, std::string_view carrier,
                         std::chrono::system_clock::time_point time);

}  // namespace atmwatch::radius
