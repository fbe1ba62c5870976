#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "testing/child_process.h"

// For programs that cannot listen on port 0 and say which port they took:
// a port is picked first, and the start is retried when it was taken by
// someone else before the program bound it.
namespace atmwatch::testing {

// A TCP (or UDP) port on 127.0.0.1 that was free at the time of asking.
int FreePort();
int FreeUdpPort();

// Calls `spawn` (which starts `child` on freshly picked ports) and waits for
// `ready`; when the child exits first and this start's output names a bind
// failure (one of `bind_failures`), spawns again, `attempts` times in all.
// False when it never became ready within `timeout`.
bool StartWithPortRetries(ChildProcess& child, const std::function<bool()>& spawn,
                          const std::function<bool()>& ready,
                          const std::vector<std::string>& bind_failures,
                          std::chrono::milliseconds timeout, int attempts = 3);

}  // namespace atmwatch::testing
