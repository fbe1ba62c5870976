#include "cli/progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

namespace atmwatch::cli {
namespace {

constexpr int kBarWidth = 30;
// A bar redrawn more often than this only costs terminal bandwidth.
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

}  // namespace

ProgressReporter::ProgressReporter(std::ostream& out, std::string what, std::uint64_t total,
                                   bool terminal)
    : out_(out),
      what_(std::move(what)),
      total_(std::max<std::uint64_t>(total, 1)),
      terminal_(terminal) {}

std::string ProgressReporter::Human(double count) {
  if (count >= 1e6) return fmt::format("{:.2f}M", count / 1e6);
  if (count >= 1e4) return fmt::format("{:.1f}k", count / 1e3);
  return fmt::format("{:.0f}", count);
}

std::string ProgressReporter::Line(std::uint64_t done, double seconds) const {
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  const double eta = rate > 0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : 0;
  return fmt::format("{}/{} {} ({:.0f}%), {}/s, ETA {:.0f}s", Human(static_cast<double>(done)),
                     Human(static_cast<double>(total_)), what_,
                     100.0 * static_cast<double>(done) / static_cast<double>(total_), Human(rate),
                     eta);
}

void ProgressReporter::Update(std::uint64_t done) {
  const auto now = Clock::now();
  const double seconds = std::chrono::duration<double>(now - start_).count();
  if (terminal_) {
    if (now - last_draw_ < kRedrawEvery) return;
    last_draw_ = now;
    const int filled = static_cast<int>(kBarWidth * std::min(done, total_) / total_);
    out_ << "\r[" << std::string(filled, '#') << std::string(kBarWidth - filled, ' ') << "] "
         << Line(done, seconds) << "\x1b[K" << std::flush;
    return;
  }
  const int tenth = static_cast<int>(10 * std::min(done, total_) / total_);
  if (tenth <= last_tenth_) return;
  last_tenth_ = tenth;
  out_ << "sim: " << Line(done, seconds) << "\n" << std::flush;
}

void ProgressReporter::Finish(std::uint64_t done) {
  const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  if (terminal_) out_ << "\r\x1b[K";
  out_ << fmt::format("sim: {} {} in {:.1f}s ({}/s)\n", done, what_, seconds,
                      Human(seconds > 0 ? static_cast<double>(done) / seconds : 0))
       << std::flush;
}

}  // namespace atmwatch::cli
