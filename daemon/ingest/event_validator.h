#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "atmwatch/v1/events.pb.h"

namespace atmwatch::ingest {

// What makes an event acceptable regardless of the daemon's state.
struct ValidationLimits {
  // Events older than this are refused; 0 = no limit (backfills).
  std::int64_t max_event_age_ms = 400LL * 24 * 3600 * 1000;
  // Clocks drift, but an event from further ahead than this is a broken clock.
  std::int64_t max_future_ms = 5LL * 60 * 1000;
  // Ids and free text longer than this are refused rather than stored.
  std::size_t max_string_bytes = 256;
};

// Why an event was refused. reason is one of a fixed set of short names (it
// becomes a metric label); detail is for humans and may quote values.
struct EventRejection {
  std::string_view reason;
  std::string detail;
};

// Checks required fields, enum ranges, amounts, string lengths and the event
// time against now. Pure: the same event, limits and now give the same answer.
std::optional<EventRejection> ValidateEvent(const v1::Envelope& event,
                                            const ValidationLimits& limits,
                                            std::int64_t now_unix_ms);

// "WITHDRAWAL, BALANCE_INQUIRY, ...": the names an enum field may take (the
// *_UNSPECIFIED zero value left out), for refusals that say what to write.
std::string ValidEnumNames(const google::protobuf::EnumDescriptor& type);

}  // namespace atmwatch::ingest
