#pragma once

// The hardware of one ATM as its statuses report it (dispenser, card reader,
// receipt printer, depository, PIN pad, cassettes) and the cards it kept.
//
// Rules (by event time, like the reported state):
// - Each component keeps its newest report: a report older than the newest
//   one applied for that component is ignored; one at the same time wins.
// - "since" is when the component entered its severity: a report with the
//   same severity leaves it alone.
// - A component never reported is unknown, not broken: terminals that report
//   no components serve as before.
// - Withdrawals need the dispenser, the card reader and the PIN pad, and,
//   of the cassettes the ATM reports, at least one not fatal; a fatal receipt
//   printer (no receipt) or depository (no deposits) stops no withdrawal.
//
// One record per ATM of the fleet (15k), most of which never report a
// component: the component table is allocated at the first report, so an
// ATM without one costs a pointer and its card counters.

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "atmwatch/v1/events.pb.h"

namespace atmwatch::engine {

class DeviceHealthState;

// The reportable components: five devices, then cassettes 1 to 8.
enum class Component : std::uint8_t {
  kDispenser,
  kCardReader,
  kReceiptPrinter,
  kDepository,
  kEpp,
  kCassette1,  // kCassette1 + n - 1 is cassette n
};
inline constexpr std::size_t kMaxCassettes = 8;
inline constexpr std::size_t kComponentCount =
    static_cast<std::size_t>(Component::kCassette1) + kMaxCassettes;
// "dispenser", "card_reader", "receipt_printer", "depository", "epp",
// "cassette_1" … "cassette_8": metric label values.
std::string_view ComponentName(Component component);

enum class Severity : std::uint8_t { kUnknown = 0, kOk = 1, kWarning = 2, kFatal = 3 };

// The CardRetained reasons counted, by the proto's values from 1.
inline constexpr std::size_t kRetainReasons = 3;
// "customer_timeout", "host_order", "device_fault": metric label values.
std::string_view RetainReasonName(std::size_t reason);

class DeviceHealth {
 public:
  // Fault codes kept per component: device codes are short (XFS "-1306",
  // NCR M-Status "62000F"); a longer one keeps its first bytes.
  static constexpr std::size_t kCodeBytes = 8;

  DeviceHealth() = default;
  DeviceHealth(DeviceHealth&&) noexcept = default;
  DeviceHealth& operator=(DeviceHealth&&) noexcept = default;

  // The components of a validated status at its event time.
  void Apply(const v1::AtmStatus& status, int64_t time_unix_ms);
  void CountRetained(v1::CardRetained::Reason reason);

  bool reported() const { return components_ != nullptr; }
  // A component reported or a card retained: the ATM has device series.
  bool active() const;
  Severity severity(Component component) const;
  // Event time the component entered its severity; 0 = never reported.
  int64_t since_unix_ms(Component component) const;
  std::string_view code(Component component) const;
  uint32_t cards_retained(std::size_t reason) const { return retained_[reason]; }

  // No fatal dispenser, and not every reported cassette fatal.
  bool CanDispense() const;
  // A fatal dispenser, card reader or PIN pad: no withdrawal is possible.
  bool HardwareFaulted() const;
  // What atmwatch_atm_up asks of the hardware.
  // Inline: per ATM of every scrape, and nearly all have no table.
  bool ServesWithdrawals() const { return !components_ || (CanDispense() && !HardwareFaulted()); }

  void Save(DeviceHealthState* out) const;
  void Restore(const DeviceHealthState& saved);

 private:
  struct Slot {
    int64_t since_unix_ms = 0;
    int64_t event_unix_ms = 0;  // newest report applied
    std::array<char, kCodeBytes> code{};
  };
  struct Components {
    std::array<Severity, kComponentCount> severity{};
    std::array<Slot, kComponentCount> slots{};
  };

  Components& Table();
  void Report(Component component, Severity severity, std::string_view code, int64_t time_unix_ms);

  std::unique_ptr<Components> components_;  // nullptr: no component reported yet
  std::array<uint32_t, kRetainReasons> retained_{};
};

static_assert(sizeof(DeviceHealth) <= 24, "one per ATM of the fleet");

}  // namespace atmwatch::engine
