#pragma once

// Protobuf writes its own "[libprotobuf ERROR ...]" lines to stderr, e.g.
// when a request body does not parse. In this program those messages are
// about input that is then refused, answered and counted, so they go to the
// program's logger at debug level (a client cannot fill the log with them);
// only a FATAL one, a broken invariant, is logged as critical.

#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

#include <string>

namespace atmwatch {

// Call once at start, before any message is parsed (SetLogHandler is not
// thread-safe).
inline void RouteProtobufLogToSpdlog() {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel level, const char* filename,
                                     int line, const std::string& message) {
    const auto spdlog_level =
        level == google::protobuf::LOGLEVEL_FATAL ? spdlog::level::critical : spdlog::level::debug;
    spdlog::log(spdlog_level, "protobuf: {} ({}:{})", message, filename, line);
  });
}

}  // namespace atmwatch
