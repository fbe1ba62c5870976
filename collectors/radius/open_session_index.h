#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

// Which NAS holds each line's open session, so that a NAS-wide
// Accounting-On/Off can be turned into one DETACH per line it held.
//
// Only sessions seen since this process started are known: a line whose
// session began before a collector restart is not detached by a later
// Accounting-On; the daemon's stale-session rule ends such sessions instead.
// A line is held by at most one NAS, the one that last reported it, so a line
// that moved is not detached by its old NAS's reboot. Bounded by `max_lines`.
//
// Not thread-safe: the collector uses it from its network thread only.
namespace atmwatch::radius {

class OpenSessionIndex {
 public:
  explicit OpenSessionIndex(std::size_t max_lines) : max_lines_(max_lines) {}

  // Start or Interim-Update: `line_id`'s session `session_id` is open on
  // `nas`. False when the index is full and the line was not known before.
  bool Open(std::string_view nas, std::string_view line_id, std::string_view session_id);

  // Stop: forgets the line unless a newer session of it is open.
  void Close(std::string_view line_id, std::string_view session_id);

  // Accounting-On/Off: forgets and returns every line open on `nas`.
  std::vector<std::string> TakeLines(std::string_view nas);

  std::size_t size() const { return lines_.size(); }

 private:
  struct OpenSession {
    std::uint32_t nas;
    std::string session_id;
  };

  std::uint32_t NasIndex(std::string_view nas);

  std::size_t max_lines_;
  std::unordered_map<std::string, std::uint32_t> nas_index_;
  std::unordered_map<std::string, OpenSession> lines_;
};

}  // namespace atmwatch::radius
