#pragma once

#include <string>
#include <string_view>

namespace atmwatch::jetstream {

// "host:port" of a server URL ("nats://user:pass@10.0.0.1:4222" ->
// "10.0.0.1:4222"): the label atmwatch_jetstream_server_info carries, and
// what the connected server is matched on, credentials never shown.
std::string ServerAddress(std::string_view url);

}  // namespace atmwatch::jetstream
