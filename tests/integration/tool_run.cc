#include "tool_run.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "read_file.h"

extern char** environ;

namespace atmwatch::testing {

ToolResult RunTool(const std::vector<std::string>& argv, const std::string& input) {
  // Files rather than pipes: no deadlock however much the tool writes.
  const auto dir = std::filesystem::temp_directory_path();
  static std::atomic<int> runs{0};
  const std::string stem =
      (dir / ("atmwatch-tool-" + std::to_string(getpid()) + "-" + std::to_string(runs++))).string();
  const std::string in_path = stem + ".in", out_path = stem + ".out";
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
  std::filesystem::remove(in_path);
  std::filesystem::remove(out_path);
  return result;
}

pid_t SpawnLogged(const std::vector<std::string>& argv, const std::string& log_path,
                  bool truncate_log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | (truncate_log ? O_TRUNC : O_APPEND), 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<std::string> copy = argv;
  std::vector<char*> args;
  for (auto& arg : copy) args.push_back(arg.data());
  args.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int WaitChild(pid_t* pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (*pid > 0) {
    int status = 0;
    if (waitpid(*pid, &status, WNOHANG) == *pid) {
      *pid = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

int StopChild(pid_t* pid, int signal, std::chrono::milliseconds timeout) {
  if (*pid <= 0) return -1;
  kill(*pid, signal);
  const int code = WaitChild(pid, timeout);
  if (code == -1 && *pid > 0) {
    kill(*pid, SIGKILL);
    waitpid(*pid, nullptr, 0);
    *pid = -1;
  }
  return code;
}

bool HaveTool(const std::string& name) {
  return RunTool({"sh", "-c", "command -v " + name}).exit_code == 0;
}

}  // namespace atmwatch::testing
