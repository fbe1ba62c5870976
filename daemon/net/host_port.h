#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace atmwatch::net {

// An address as written in config and flags: "host:port", with an IPv6 host
// in brackets ("[::1]:7420"). The host is kept as text (brackets removed);
// whether it must be an IP literal is the caller's rule.
struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};

// Splits at the last colon: the host must not be empty and the port is a
// decimal number in 0..65535. nullopt when the text is not of that shape.
std::optional<HostPort> ParseHostPort(std::string_view text);

}  // namespace atmwatch::net
