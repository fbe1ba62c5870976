#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace atmwatch::testing {

// How a child is started: its environment on top of this process's, where
// its output goes, and whether it leads a process group of its own.
struct ChildOptions {
  std::vector<std::string> env;  // "NAME=value", added to (or replacing in) ours
  bool truncate_log = false;     // else appended: a restarted child keeps the earlier log
  // The child and whatever it starts form one group, signalled as a whole
  // (for scripts that start servers).
  bool own_process_group = false;
};

// One child process of a test: spawned with its stdout and stderr in a log
// file, waited for with deadlines, signalled, and reaped. The destructor
// SIGKILLs a child still running and reaps it, so no test leaves one behind.
class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts argv (argv[0] a path, or a name looked up in PATH). False when it
  // could not be started; a child still running from an earlier Spawn is
  // killed first.
  bool Spawn(const std::vector<std::string>& argv, const std::string& log_path,
             const ChildOptions& options = {});

  // Whether it has been spawned and not yet exited (reaping it if it has).
  bool running();
  // Waits up to `timeout` for the exit: the exit code (128 + signal when
  // killed by one), or -1 when still running at the deadline (or never started).
  int Wait(std::chrono::milliseconds timeout);
  // Sends `signal` and waits as Wait does; a child still running at the
  // deadline is SIGKILLed and reaped, and -1 returned.
  int Stop(int signal, std::chrono::milliseconds timeout);
  // Sends `signal` (to the group with own_process_group) and returns.
  void Signal(int signal) const;
  // SIGKILL and reap (a bounded wait).
  void Kill();

  // Polls until `ready` holds, while the child runs: false when it exited
  // first or the deadline passed.
  bool WaitUntil(const std::function<bool()>& ready, std::chrono::milliseconds timeout);
  // Waits until a line of the log contains `text`: that line, or nullopt when
  // the child exited first or the deadline passed.
  std::optional<std::string> WaitForLine(const std::string& text,
                                         std::chrono::milliseconds timeout);

  std::string log() const;
  const std::string& log_path() const { return log_path_; }
  pid_t pid() const { return pid_; }
  // The code of the last exit seen, or -1.
  int exit_code() const { return exit_code_; }

 private:
  bool Reap(bool block);

  std::string log_path_;
  bool own_process_group_ = false;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

// The first complete (newline-ended) line of `text` holding `needle`, or nullopt.
std::optional<std::string> LineContaining(const std::string& text, const std::string& needle);

}  // namespace atmwatch::testing
