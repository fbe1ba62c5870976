#include "engine/terminate_cause.h"

#include <array>

namespace atmwatch::engine {
namespace {

// By TerminateCause value.
constexpr std::array<std::string_view, kTerminateCauseCount> kLabels = {
    "unknown",       "user_request",    "lost_carrier",   "lost_service",
    "idle_timeout",  "session_timeout", "admin_reset",    "admin_reboot",
    "port_error",    "nas_error",       "nas_request",    "nas_reboot",
    "port_unneeded", "port_preempted",  "port_suspended", "service_unavailable",
    "callback",      "user_error",      "host_request",   "other",
};

char Folded(char c) {
  if (c == '-') return '_';
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  return c;
}

// "Lost-Carrier" matches "lost_carrier".
bool SameName(std::string_view name, std::string_view label) {
  if (name.size() != label.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (Folded(name[i]) != label[i]) return false;
  }
  return true;
}

}  // namespace

TerminateCause TerminateCauseOf(std::string_view name) {
  if (name.empty()) return TerminateCause::kUnknown;
  for (std::size_t i = 1; i + 1 < kLabels.size(); ++i) {
    if (SameName(name, kLabels[i])) return static_cast<TerminateCause>(i);
  }
  return TerminateCause::kOther;
}

std::string_view TerminateCauseLabel(TerminateCause cause) {
  const auto index = static_cast<std::size_t>(cause);
  return index < kLabels.size() ? kLabels[index] : kLabels.back();
}

}  // namespace atmwatch::engine
