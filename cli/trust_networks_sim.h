#pragma once

#include "cli/sim_command.h"

namespace atmwatch::cli {

// `atmwatch sim --scenario trust-networks [--csv PATH] [--config FILE]`:
// plans the history of cli/trust_networks.h from the CSV, then streams it
// into the daemon as fast as it acknowledges, with a progress bar (or plain
// lines when stderr is not a terminal). The daemon must accept old events
// (ingest.max_event_age: 0). Batches are numbered from 1 under a fixed
// source id, so running it again into the same daemon is acknowledged as
// duplicates instead of counting the history twice. With --print-inventory
// it prints the fleet as config YAML and exits.
// Exit codes: 0 ok, 1 the daemon refused events or was unreachable, 2 a bad
// CSV or config.
int RunTrustNetworksSim(const SimOptions& options);

}  // namespace atmwatch::cli
