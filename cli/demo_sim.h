#pragma once

#include "cli/sim_command.h"

namespace atmwatch::cli {

// `atmwatch sim --scenario demo [--atms N]`: the fleet of cli/demo_fleet.h.
// Names the ATMs that misbehave and the alerts they raise, sends its 28 days
// of history as fast as the daemon acknowledges, then streams in real time
// under the same source until Ctrl-C (or --duration). With --print-inventory
// it prints atmwatchd's config for the demo (costs, business hours,
// inventory) and exits.
// Exit codes: 0 ok, 1 the daemon refused events or was unreachable, 2 bad
// options.
int RunDemoSim(const SimOptions& options);

}  // namespace atmwatch::cli
