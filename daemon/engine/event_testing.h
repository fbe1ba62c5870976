#pragma once

// For the tests of the engine and of what reads it: ATM events as terminals
// send them, at Japan-local (+09:00) wall-clock times.

#include <chrono>
#include <cstdint>
#include <string>

#include "atmwatch/v1/events.pb.h"

namespace atmwatch::engine {

// UTC milliseconds of a Japan-local wall-clock time.
int64_t JapanTime(std::chrono::year_month_day date, int hour, int minute = 0);

// A status of `atm` reporting `state`, and a plain heartbeat.
v1::Envelope StatusEvent(const std::string& atm, int64_t time_unix_ms, v1::AtmStatus::State state);
v1::Envelope HeartbeatEvent(const std::string& atm, int64_t time_unix_ms);

// A RADIUS-style event of `line` (of carrier docomo unless said).
v1::Envelope LineEventOf(const std::string& line, int64_t time_unix_ms, v1::LineEvent::Kind kind,
                         const std::string& session = "", uint64_t bytes_in = 0,
                         uint64_t bytes_out = 0, const std::string& carrier = "docomo");

}  // namespace atmwatch::engine
