#pragma once

#include <string>
#include <string_view>

namespace atmwatch::jetstream {

// The durable consumer that reads `subject` for the daemon named `durable`:
// "<durable>_<subject>" with the characters NATS refuses in consumer names
// spelled out ('.' → '_', '*' → "any", '>' → "all"). NATS 2.9 gives a
// consumer one filter subject, so a daemon that owns several subjects keeps
// one consumer per subject; the name is derived from both so that a restart
// (or a reordered config list) binds to the same consumer and resumes where
// it stopped.
std::string ConsumerName(std::string_view durable, std::string_view subject);

}  // namespace atmwatch::jetstream
