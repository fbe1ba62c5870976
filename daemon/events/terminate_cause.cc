#include "events/terminate_cause.h"

#include <array>

namespace atmwatch::events {
namespace {

struct CauseNames {
  std::string_view label;
  std::string_view rfc;
};

// By TerminateCause value.
constexpr std::array<CauseNames, kTerminateCauseCount> kNames = {{
    {"unknown", ""},
    {"user_request", "User-Request"},
    {"lost_carrier", "Lost-Carrier"},
    {"lost_service", "Lost-Service"},
    {"idle_timeout", "Idle-Timeout"},
    {"session_timeout", "Session-Timeout"},
    {"admin_reset", "Admin-Reset"},
    {"admin_reboot", "Admin-Reboot"},
    {"port_error", "Port-Error"},
    {"nas_error", "NAS-Error"},
    {"nas_request", "NAS-Request"},
    {"nas_reboot", "NAS-Reboot"},
    {"port_unneeded", "Port-Unneeded"},
    {"port_preempted", "Port-Preempted"},
    {"port_suspended", "Port-Suspended"},
    {"service_unavailable", "Service-Unavailable"},
    {"callback", "Callback"},
    {"user_error", "User-Error"},
    {"host_request", "Host-Request"},
    {"other", "Other"},
}};

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

const CauseNames& NamesOf(TerminateCause cause) {
  const auto index = static_cast<std::size_t>(cause);
  return index < kNames.size() ? kNames[index] : kNames.back();
}

}  // namespace

TerminateCause TerminateCauseOf(std::string_view name) {
  if (name.empty()) return TerminateCause::kUnknown;
  for (std::size_t i = 1; i + 1 < kNames.size(); ++i) {
    if (SameName(name, kNames[i].label)) return static_cast<TerminateCause>(i);
  }
  return TerminateCause::kOther;
}

TerminateCause TerminateCauseOfRfcValue(std::uint32_t value) {
  if (value == 0 || value >= static_cast<std::uint32_t>(TerminateCause::kOther)) {
    return TerminateCause::kOther;
  }
  return static_cast<TerminateCause>(value);
}

std::string_view TerminateCauseLabel(TerminateCause cause) { return NamesOf(cause).label; }

std::string_view TerminateCauseRfcName(TerminateCause cause) { return NamesOf(cause).rfc; }

}  // namespace atmwatch::events
