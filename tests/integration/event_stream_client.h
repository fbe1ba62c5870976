#pragma once

// What the end-to-end tests of one kind of event share: a client that
// streams to the test's daemon and retries quickly, so that a restart in the
// middle of a test costs milliseconds, and the daemon's /metrics page.

#include <cstdint>
#include <string>

#include "client/ingest_client.h"
#include "testing/daemon_process.h"

namespace atmwatch::testing {

// Batches numbered from `first_seq` (a test that restarts the daemon keeps
// counting, as a stateful source would); gives up after 30 s.
client::ClientOptions StreamingClientFor(const DaemonProcess& daemon, const std::string& source_id,
                                         std::uint64_t first_seq);

std::string MetricsOf(const DaemonProcess& daemon);

}  // namespace atmwatch::testing
