#pragma once

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

// True when `name` is an executable on PATH.
bool HaveTool(const std::string& name);

}  // namespace atmwatch::testing
