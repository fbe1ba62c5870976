#include "testing/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "testing/eventually.h"
#include "testing/read_file.h"

extern char** environ;

namespace atmwatch::testing {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> Environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** var = environ; *var != nullptr; ++var) {
    const std::string entry = *var;
    const std::string name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& added : extra) replaced |= added.compare(0, name.size() + 1, name + "=") == 0;
    if (!replaced) env.push_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

int ExitCode(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

ChildProcess::~ChildProcess() { Kill(); }

bool ChildProcess::Spawn(const std::vector<std::string>& argv, const std::string& log_path,
                         const ChildOptions& options) {
  Kill();
  log_path_ = log_path;
  own_process_group_ = options.own_process_group;
  exit_code_ = -1;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | (options.truncate_log ? O_TRUNC : O_APPEND),
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Signals this process ignores (a test runner may ignore SIGINT or
  // SIGHUP) would stay ignored in the child; the tests send them.
  sigset_t defaults;
  sigfillset(&defaults);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  short flags = POSIX_SPAWN_SETSIGDEF;
  if (options.own_process_group) {
    posix_spawnattr_setpgroup(&attributes, 0);
    flags |= POSIX_SPAWN_SETPGROUP;
  }
  posix_spawnattr_setflags(&attributes, flags);

  std::vector<std::string> args = argv;
  std::vector<std::string> env = Environment(options.env);
  std::vector<char*> arg_pointers = Pointers(args);
  std::vector<char*> env_pointers = Pointers(env);
  if (posix_spawnp(&pid_, arg_pointers[0], &actions, &attributes, arg_pointers.data(),
                   env_pointers.data()) != 0) {
    pid_ = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  return pid_ > 0;
}

bool ChildProcess::Reap(bool block) {
  if (pid_ <= 0) return true;
  int status = 0;
  if (waitpid(pid_, &status, block ? 0 : WNOHANG) != pid_) return false;
  exit_code_ = ExitCode(status);
  pid_ = -1;
  return true;
}

bool ChildProcess::running() { return pid_ > 0 && !Reap(/*block=*/false); }

int ChildProcess::Wait(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  if (!Eventually([&] { return Reap(/*block=*/false); }, timeout, 10ms)) return -1;
  return exit_code_;
}

int ChildProcess::Stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  Signal(signal);
  const int code = Wait(timeout);
  if (code == -1) Kill();
  return code;
}

void ChildProcess::Signal(int signal) const {
  if (pid_ <= 0) return;
  if (own_process_group_) {
    kill(-pid_, signal);
  } else {
    kill(pid_, signal);
  }
}

void ChildProcess::Kill() {
  if (pid_ <= 0) return;
  Signal(SIGKILL);
  // SIGKILL cannot be caught, but a process stuck in the kernel (a hung
  // filesystem) dies only when it returns: the wait is bounded, and such a
  // child is left to init rather than hanging the test.
  if (Wait(5s) == -1) pid_ = -1;
}

bool ChildProcess::WaitUntil(const std::function<bool()>& ready,
                             std::chrono::milliseconds timeout) {
  bool exited = false;
  const bool done = Eventually(
      [&] {
        if (ready()) return true;
        exited = !running();
        return exited;
      },
      timeout, 20ms);
  return done && !exited;
}

std::optional<std::string> ChildProcess::WaitForLine(const std::string& text,
                                                     std::chrono::milliseconds timeout) {
  std::optional<std::string> line;
  WaitUntil([&] { return (line = LineContaining(log(), text)).has_value(); }, timeout);
  return line;
}

std::string ChildProcess::log() const { return log_path_.empty() ? "" : ReadFile(log_path_); }

std::optional<std::string> LineContaining(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  const auto end = text.find('\n', at);
  // A line still being written may end in the middle of a port number.
  if (at == std::string::npos || end == std::string::npos) return std::nullopt;
  const auto begin = text.rfind('\n', at);
  const auto from = begin == std::string::npos ? 0 : begin + 1;
  return text.substr(from, end - from);
}

}  // namespace atmwatch::testing
