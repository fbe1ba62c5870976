#include "testing/tool_run.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "testing/read_file.h"
#include "testing/temp_dir.h"

extern char** environ;

namespace atmwatch::testing {

ToolResult RunTool(const std::vector<std::string>& argv, const std::string& input) {
  // Files rather than pipes: no deadlock however much the tool writes.
  const TempDir dir("atmwatch-tool");
  const std::string in_path = dir.Join("in"), out_path = dir.Join("out");
  std::ofstream(in_path) << input;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> args;
  std::vector<std::string> copy = argv;
  for (auto& arg : copy) args.push_back(arg.data());
  args.push_back(nullptr);

  ToolResult result;
  pid_t pid = -1;
  if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ) == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  posix_spawn_file_actions_destroy(&actions);
  result.output = ReadFile(out_path);
  return result;
}

bool HaveTool(const std::string& name) {
  return RunTool({"sh", "-c", "command -v " + name}).exit_code == 0;
}

}  // namespace atmwatch::testing
