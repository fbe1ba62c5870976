#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace atmwatch::cli {

// Progress of a job of known size on stderr: on a terminal a bar redrawn in
// place with rate and ETA, otherwise (CI logs, pipes) a plain line every
// tenth of the way, so logs stay short and readable.
class ProgressReporter {
 public:
  // `terminal`: draw the bar (pass isatty(STDERR_FILENO)).
  ProgressReporter(std::ostream& out, std::string what, std::uint64_t total, bool terminal);

  void Update(std::uint64_t done);
  // The final line: how many, how long, how fast.
  void Finish(std::uint64_t done);

  // "12.3k", "1.45M": a count for humans.
  static std::string Human(double count);

 private:
  using Clock = std::chrono::steady_clock;

  std::string Line(std::uint64_t done, double seconds) const;

  std::ostream& out_;
  std::string what_;
  std::uint64_t total_;
  bool terminal_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_draw_{};
  int last_tenth_ = 0;
};

}  // namespace atmwatch::cli
