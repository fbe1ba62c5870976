#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "radius/dictionary.h"
#include "radius/radius_packet.h"

// The accounting facts of one Accounting-Request (RFC 2866), as plain values.
// Parsing is pure and thread-safe; it trusts the packet's origin, so verify
// the authenticator first (authenticator.h).
namespace atmwatch::radius {

enum class StatusType : std::uint32_t {
  kStart = 1,
  kStop = 2,
  kInterimUpdate = 3,
  kAccountingOn = 7,
  kAccountingOff = 8,
};

// Strings are empty and optionals unset when the attribute is absent; an
// attribute may appear at most once.
struct AccountingRecord {
  StatusType status_type = StatusType::kStart;
  std::string session_id;          // Acct-Session-Id
  std::string calling_station_id;  // the line's MSISDN on a mobile network
  std::string user_name;
  std::string nas_identifier;
  std::string nas_ip_address;     // dotted quad
  std::string framed_ip_address;  // dotted quad
  // Acct-{Input,Output}-Octets + Acct-{Input,Output}-Gigawords * 2^32; set
  // when either attribute is present.
  std::optional<std::uint64_t> input_octets;
  std::optional<std::uint64_t> output_octets;
  std::optional<std::chrono::seconds> session_time;
  std::optional<std::chrono::seconds> delay_time;
  std::optional<std::chrono::sys_seconds> event_timestamp;  // RFC 2869
  // RFC 2866 §5.10 name such as "Lost-Carrier"; "Other" for values the RFC
  // does not define, so the set stays bounded for metric labels.
  std::string_view terminate_cause;
  // The configured vendor attribute for signal strength, read as a signed
  // 32-bit integer (dBm); unset without one.
  std::optional<std::int32_t> signal_dbm;
};

// What the parser reads beyond RFC 2866.
struct RecordOptions {
  // Where the NAS reports the line's signal strength; none: not read.
  std::optional<VendorAttribute> signal_attribute;
};

enum class RecordError : std::uint8_t {
  kNotAccountingRequest,
  kMissingStatusType,
  kUnsupportedStatusType,  // e.g. Tunnel-Start or Failed
  kDuplicateAttribute,
  kIntegerNotFourOctets,
  kAddressNotFourOctets,
  kEmptyString,  // RFC 2865 §5: strings carry at least one octet
};

struct RecordFailure {
  RecordError reason;
  std::uint8_t attribute_type;  // the attribute at fault; 0 for the packet itself
};

// A malformed Vendor-Specific attribute, or a signal value that is not four
// octets, is passed over: vendor data never costs the request.
Result<AccountingRecord, RecordFailure> ParseAccountingRecord(const Packet& request,
                                                              const RecordOptions& options = {});

// The NAS as it names itself: "NAS-Identifier (NAS-IP-Address)", either
// alone, or empty when it gives neither. Behind a proxy the source address
// is the proxy's, so this is what logs name.
std::string NasName(const AccountingRecord& record);

// When the event happened: Event-Timestamp when the NAS sent one, otherwise
// the arrival time less Acct-Delay-Time (RFC 2866 §5.2).
std::chrono::system_clock::time_point EventTime(const AccountingRecord& record,
                                                std::chrono::system_clock::time_point arrival);

// Stable snake_case name, fit for a metric's reason label.
std::string_view ReasonName(RecordError reason);

}  // namespace atmwatch::radius
