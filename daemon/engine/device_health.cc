#include "engine/device_health.h"

#include <algorithm>

#include "engine_state.pb.h"

namespace atmwatch::engine {
namespace {

using ProtoComponent = v1::AtmStatus::Component;

constexpr std::array<std::string_view, kComponentCount> kComponentNames = {
    "dispenser",  "card_reader", "receipt_printer", "depository", "epp",
    "cassette_1", "cassette_2",  "cassette_3",      "cassette_4", "cassette_5",
    "cassette_6", "cassette_7",  "cassette_8"};

constexpr std::array<std::string_view, kRetainReasons> kRetainReasonNames = {
    "customer_timeout", "host_order", "device_fault"};

constexpr std::size_t IndexOf(Component component) { return static_cast<std::size_t>(component); }

// The proto's devices in order from DISPENSER = 1; cassettes by number.
Component ComponentOf(const ProtoComponent& reported) {
  if (reported.kind() == ProtoComponent::CASSETTE) {
    return static_cast<Component>(IndexOf(Component::kCassette1) + reported.cassette() - 1);
  }
  return static_cast<Component>(reported.kind() - 1);
}

// At most `max` bytes of `code`, not cutting a UTF-8 sequence.
std::string_view Truncated(std::string_view code, std::size_t max) {
  if (code.size() <= max) return code;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(code[n]) & 0xC0) == 0x80) --n;
  return code.substr(0, n);
}

}  // namespace

std::string_view ComponentName(Component component) { return kComponentNames[IndexOf(component)]; }

std::string_view RetainReasonName(std::size_t reason) { return kRetainReasonNames[reason]; }

DeviceHealth::Components& DeviceHealth::Table() {
  if (!components_) components_ = std::make_unique<Components>();
  return *components_;
}

void DeviceHealth::Apply(const v1::AtmStatus& status, int64_t time_unix_ms) {
  for (const ProtoComponent& reported : status.components()) {
    Report(ComponentOf(reported), static_cast<Severity>(reported.severity()), reported.code(),
           time_unix_ms);
  }
}

void DeviceHealth::Report(Component component, Severity severity, std::string_view code,
                          int64_t time_unix_ms) {
  Components& table = Table();
  Severity& current = table.severity[IndexOf(component)];
  Slot& slot = table.slots[IndexOf(component)];
  if (slot.event_unix_ms != 0 && time_unix_ms < slot.event_unix_ms) return;
  if (severity != current || slot.since_unix_ms == 0) slot.since_unix_ms = time_unix_ms;
  current = severity;
  slot.event_unix_ms = time_unix_ms;
  slot.code = {};
  const std::string_view kept = Truncated(code, kCodeBytes);
  std::copy(kept.begin(), kept.end(), slot.code.begin());
}

void DeviceHealth::CountRetained(v1::CardRetained::Reason reason) { ++retained_[reason - 1]; }

bool DeviceHealth::active() const {
  return reported() ||
         std::any_of(retained_.begin(), retained_.end(), [](uint32_t cards) { return cards != 0; });
}

Severity DeviceHealth::severity(Component component) const {
  return components_ ? components_->severity[IndexOf(component)] : Severity::kUnknown;
}

int64_t DeviceHealth::since_unix_ms(Component component) const {
  return components_ ? components_->slots[IndexOf(component)].since_unix_ms : 0;
}

std::string_view DeviceHealth::code(Component component) const {
  if (!components_) return {};
  const auto& code = components_->slots[IndexOf(component)].code;
  return {code.data(),
          static_cast<std::size_t>(std::find(code.begin(), code.end(), '\0') - code.begin())};
}

bool DeviceHealth::CanDispense() const {
  if (!components_) return true;
  const auto& severity = components_->severity;
  if (severity[IndexOf(Component::kDispenser)] == Severity::kFatal) return false;
  const auto first = severity.begin() + IndexOf(Component::kCassette1);
  const bool any_reported =
      std::any_of(first, severity.end(), [](Severity s) { return s != Severity::kUnknown; });
  const bool all_fatal_or_unknown = std::all_of(first, severity.end(), [](Severity s) {
    return s == Severity::kFatal || s == Severity::kUnknown;
  });
  return !(any_reported && all_fatal_or_unknown);
}

bool DeviceHealth::HardwareFaulted() const {
  if (!components_) return false;
  const auto& severity = components_->severity;
  return severity[IndexOf(Component::kDispenser)] == Severity::kFatal ||
         severity[IndexOf(Component::kCardReader)] == Severity::kFatal ||
         severity[IndexOf(Component::kEpp)] == Severity::kFatal;
}

void DeviceHealth::Save(DeviceHealthState* out) const {
  if (components_) {
    for (std::size_t i = 0; i < kComponentCount; ++i) {
      if (components_->severity[i] == Severity::kUnknown) continue;
      const Slot& slot = components_->slots[i];
      auto* saved = out->add_components();
      saved->set_component(static_cast<uint32_t>(i));
      saved->set_severity(static_cast<uint32_t>(components_->severity[i]));
      saved->set_since_unix_ms(slot.since_unix_ms);
      saved->set_event_unix_ms(slot.event_unix_ms);
      saved->set_code(std::string(code(static_cast<Component>(i))));
    }
  }
  for (uint32_t cards : retained_) out->add_cards_retained(cards);
}

void DeviceHealth::Restore(const DeviceHealthState& saved) {
  components_.reset();
  for (const auto& component : saved.components()) {
    if (component.component() >= kComponentCount || component.severity() == 0 ||
        component.severity() > static_cast<uint32_t>(Severity::kFatal)) {
      continue;
    }
    Components& table = Table();
    table.severity[component.component()] = static_cast<Severity>(component.severity());
    Slot& slot = table.slots[component.component()];
    slot.since_unix_ms = component.since_unix_ms();
    slot.event_unix_ms = component.event_unix_ms();
    slot.code = {};
    const std::string_view kept = Truncated(component.code(), kCodeBytes);
    std::copy(kept.begin(), kept.end(), slot.code.begin());
  }
  retained_ = {};
  const int n = std::min<int>(saved.cards_retained_size(), kRetainReasons);
  for (int r = 0; r < n; ++r) retained_[r] = saved.cards_retained(r);
}

}  // namespace atmwatch::engine
