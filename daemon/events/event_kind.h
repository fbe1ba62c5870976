#pragma once

// The kinds of event an Envelope carries, named once: the validator, the
// ingest pipeline and its metrics, the engine and `atmwatch wal` all speak
// of kinds through this file. A new kind of event is a new oneof case here
// (EventKind, KindOf, KindName, AtmIdOf; the compiler points at each switch)
// and its handlers.

#include <array>
#include <cstddef>
#include <string_view>

#include "atmwatch/v1/events.pb.h"

namespace atmwatch::events {

// In the order of the Envelope's oneof; kNone (an empty envelope) last. The
// values are dense from 0 so that per-kind tables index by them.
enum class EventKind { kTransaction, kStatus, kLine, kLedger, kCash, kCardRetained, kNone };

inline constexpr std::array<EventKind, 7> kEventKinds = {
    EventKind::kTransaction, EventKind::kStatus,       EventKind::kLine, EventKind::kLedger,
    EventKind::kCash,        EventKind::kCardRetained, EventKind::kNone};

constexpr std::size_t Index(EventKind kind) { return static_cast<std::size_t>(kind); }

static_assert(
    [] {
      for (std::size_t i = 0; i < kEventKinds.size(); ++i) {
        if (Index(kEventKinds[i]) != i) return false;
      }
      return kEventKinds.back() == EventKind::kNone;
    }(),
    "kEventKinds lists every EventKind once, in order, kNone last");

// Inline: called per event on the ingest and engine paths.
inline EventKind KindOf(const v1::Envelope& event) {
  switch (event.event_case()) {
    case v1::Envelope::kTransaction:
      return EventKind::kTransaction;
    case v1::Envelope::kStatus:
      return EventKind::kStatus;
    case v1::Envelope::kLine:
      return EventKind::kLine;
    case v1::Envelope::kLedger:
      return EventKind::kLedger;
    case v1::Envelope::kCash:
      return EventKind::kCash;
    case v1::Envelope::kCardRetained:
      return EventKind::kCardRetained;
    case v1::Envelope::EVENT_NOT_SET:
      break;
  }
  return EventKind::kNone;
}

// "transaction", "status", "line", "ledger", "cash", "card_retained" or "none": the `kind` label of
// the ingest metrics and the names `atmwatch wal` prints.
std::string_view KindName(EventKind kind);

// The ATM an event is about, or "" for events about no ATM (lines, ledger
// entries, an empty envelope).
inline std::string_view AtmIdOf(const v1::Envelope& event) {
  switch (event.event_case()) {
    case v1::Envelope::kTransaction:
      return event.transaction().atm_id();
    case v1::Envelope::kStatus:
      return event.status().atm_id();
    case v1::Envelope::kCash:
      return event.cash().atm_id();
    case v1::Envelope::kCardRetained:
      return event.card_retained().atm_id();
    case v1::Envelope::kLine:
    case v1::Envelope::kLedger:
    case v1::Envelope::EVENT_NOT_SET:
      break;
  }
  return {};
}

// Whether the event is about an ATM, even one whose id is missing: such an
// event still goes through the fleet (and its unknown-ATM cap).
inline bool IsAtmEvent(const v1::Envelope& event) {
  const EventKind kind = KindOf(event);
  return kind == EventKind::kTransaction || kind == EventKind::kStatus ||
         kind == EventKind::kCash || kind == EventKind::kCardRetained;
}

}  // namespace atmwatch::events
