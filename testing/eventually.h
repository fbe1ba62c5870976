#pragma once

#include <chrono>
#include <functional>

namespace atmwatch::testing {

// Polls `done` every `poll` until it holds or `timeout` passes, and asks once
// more at the end: the bounded wait every test of a running process needs.
bool Eventually(const std::function<bool()>& done,
                std::chrono::milliseconds timeout = std::chrono::seconds(20),
                std::chrono::milliseconds poll = std::chrono::milliseconds(100));

}  // namespace atmwatch::testing
