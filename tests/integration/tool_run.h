#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace atmwatch::testing {

struct ToolResult {
  int exit_code = -1;  // -1 when the tool could not be started
  std::string output;  // stdout and stderr together
};

// Runs a command (argv[0] looked up in PATH) with `input` on stdin and waits
// for it; for driving real tools (promtool, curl, the atmwatch CLI).
ToolResult RunTool(const std::vector<std::string>& argv, const std::string& input = "");

// Starts argv[0] (a path) as a child with stdout and stderr going to
// `log_path` (appended, or truncated first); the pid, or -1.
pid_t SpawnLogged(const std::vector<std::string>& argv, const std::string& log_path,
                  bool truncate_log = false);

// Waits (bounded) for the child `*pid` to exit: its exit code (128 + signal
// when killed), or -1 when it is still running at the deadline. *pid becomes
// -1 once the child is reaped.
int WaitChild(pid_t* pid, std::chrono::milliseconds timeout);

// Sends `signal` and waits for the exit as WaitChild does; a child still
// running at the deadline is SIGKILLed and reaped, and -1 returned.
int StopChild(pid_t* pid, int signal, std::chrono::milliseconds timeout);

// True when `name` is an executable on PATH.
bool HaveTool(const std::string& name);

}  // namespace atmwatch::testing
