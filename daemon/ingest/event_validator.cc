#include "ingest/event_validator.h"

#include <fmt/format.h>

#include <chrono>

#include "events/event_kind.h"

namespace atmwatch::ingest {
namespace {

using v1::AtmStatus;
using v1::AtmTransaction;
using v1::CardRetained;
using v1::CashEvent;
using v1::LedgerEntry;
using v1::LineEvent;

std::optional<EventRejection> Reject(std::string_view reason, std::string detail) {
  return EventRejection{reason, std::move(detail)};
}

// A number outside the enum (or its unspecified zero), named with the
// values to write instead.
std::optional<EventRejection> BadEnum(std::string_view field, int value, std::string_view what,
                                      const google::protobuf::EnumDescriptor& type) {
  return Reject("bad_enum", fmt::format("{} {} is not a known {}; valid: {}", field, value, what,
                                        ValidEnumNames(type)));
}

std::optional<EventRejection> CheckId(std::string_view field, const std::string& value,
                                      const ValidationLimits& limits) {
  if (value.empty()) return Reject("missing_field", fmt::format("{} is required", field));
  if (value.size() > limits.max_string_bytes) {
    return Reject("field_too_long", fmt::format("{} has {} bytes, at most {} allowed", field,
                                                value.size(), limits.max_string_bytes));
  }
  return std::nullopt;
}

std::optional<EventRejection> CheckText(std::string_view field, const std::string& value,
                                        const ValidationLimits& limits) {
  if (value.size() <= limits.max_string_bytes) return std::nullopt;
  return Reject("field_too_long", fmt::format("{} has {} bytes, at most {} allowed", field,
                                              value.size(), limits.max_string_bytes));
}

std::optional<EventRejection> CheckTime(std::int64_t t, const ValidationLimits& limits,
                                        std::int64_t now) {
  if (t <= 0) return Reject("missing_time", "time_unix_ms must be a positive UTC millisecond time");
  if (t > now + limits.max_future_ms) {
    return Reject("future_event", fmt::format("time_unix_ms {} is {} s ahead of the daemon's clock",
                                              t, (t - now) / 1000));
  }
  if (limits.max_event_age_ms > 0 && t < now - limits.max_event_age_ms) {
    return Reject("too_old",
                  fmt::format("time_unix_ms {} is older than ingest.max_event_age ({} s)", t,
                              limits.max_event_age_ms / 1000));
  }
  return std::nullopt;
}

std::optional<EventRejection> CheckTransaction(const AtmTransaction& tx,
                                               const ValidationLimits& limits) {
  if (auto r = CheckId("transaction.atm_id", tx.atm_id(), limits)) return r;
  if (tx.type() == AtmTransaction::TYPE_UNSPECIFIED || !AtmTransaction::Type_IsValid(tx.type())) {
    return BadEnum("transaction.type", tx.type(), "type", *AtmTransaction::Type_descriptor());
  }
  if (tx.result() == AtmTransaction::RESULT_UNSPECIFIED ||
      !AtmTransaction::Result_IsValid(tx.result())) {
    return BadEnum("transaction.result", tx.result(), "result",
                   *AtmTransaction::Result_descriptor());
  }
  if (tx.amount_yen() < 0) {
    return Reject("bad_amount",
                  fmt::format("transaction.amount_yen {} is negative", tx.amount_yen()));
  }
  if (auto r = CheckText("transaction.issuer", tx.issuer(), limits)) return r;
  return CheckText("transaction.host_ref", tx.host_ref(), limits);
}

// A terminal has five devices and up to eight cassettes; more is a
// malformed event.
constexpr int kMaxComponents = 16;
constexpr uint32_t kMaxCassette = 8;

std::optional<EventRejection> CheckComponent(int i, const AtmStatus::Component& component,
                                             const ValidationLimits& limits) {
  using Component = AtmStatus::Component;
  if (component.kind() == Component::KIND_UNSPECIFIED ||
      !Component::Kind_IsValid(component.kind())) {
    return BadEnum(fmt::format("status.components[{}].kind", i), component.kind(), "kind",
                   *Component::Kind_descriptor());
  }
  if (component.severity() == Component::SEVERITY_UNSPECIFIED ||
      !Component::Severity_IsValid(component.severity())) {
    return BadEnum(fmt::format("status.components[{}].severity", i), component.severity(),
                   "severity", *Component::Severity_descriptor());
  }
  if (component.kind() == Component::CASSETTE) {
    if (component.cassette() < 1 || component.cassette() > kMaxCassette) {
      return Reject(
          "bad_cassette",
          fmt::format("status.components[{}].cassette {} is not within 1..{} for CASSETTE", i,
                      component.cassette(), kMaxCassette));
    }
  } else if (component.cassette() != 0) {
    return Reject("bad_cassette", fmt::format("status.components[{}].cassette {} is only for "
                                              "CASSETTE (0 for every other kind)",
                                              i, component.cassette()));
  }
  return CheckText(fmt::format("status.components[{}].code", i), component.code(), limits);
}

std::optional<EventRejection> CheckStatus(const AtmStatus& status, const ValidationLimits& limits) {
  if (auto r = CheckId("status.atm_id", status.atm_id(), limits)) return r;
  if (!AtmStatus::State_IsValid(status.state())) {
    return BadEnum("status.state", status.state(), "state", *AtmStatus::State_descriptor());
  }
  if (status.state() == AtmStatus::STATE_UNSPECIFIED && !status.heartbeat() &&
      status.components().empty()) {
    return Reject("missing_field", "status needs a state, heartbeat: true or components");
  }
  if (status.components_size() > kMaxComponents) {
    return Reject("too_many_components", fmt::format("status.components has {}, at most {} allowed",
                                                     status.components_size(), kMaxComponents));
  }
  for (int i = 0; i < status.components_size(); ++i) {
    if (auto r = CheckComponent(i, status.components(i), limits)) return r;
  }
  return CheckText("status.detail", status.detail(), limits);
}

std::optional<EventRejection> CheckLine(const LineEvent& line, const ValidationLimits& limits) {
  if (auto r = CheckId("line.line_id", line.line_id(), limits)) return r;
  if (line.kind() == LineEvent::KIND_UNSPECIFIED || !LineEvent::Kind_IsValid(line.kind())) {
    return BadEnum("line.kind", line.kind(), "kind", *LineEvent::Kind_descriptor());
  }
  const bool session = line.kind() == LineEvent::SESSION_START ||
                       line.kind() == LineEvent::SESSION_INTERIM ||
                       line.kind() == LineEvent::SESSION_STOP;
  if (session) {
    if (auto r = CheckId("line.session_id", line.session_id(), limits)) return r;
  }
  for (const auto& [field, value] :
       {std::pair{"line.carrier", &line.carrier()}, std::pair{"line.framed_ip", &line.framed_ip()},
        std::pair{"line.terminate_cause", &line.terminate_cause()}}) {
    if (auto r = CheckText(field, *value, limits)) return r;
  }
  return std::nullopt;
}

// The notes a cassette holds; a larger figure is a unit error (yen for notes).
constexpr int kMaxNotesPerCassette = 10'000;
// ATMs have four to six cassettes; more is a malformed event.
constexpr int kMaxCassettes = 16;

bool IsYenNote(int denomination) {
  return denomination == 1000 || denomination == 2000 || denomination == 5000 ||
         denomination == 10000;
}

std::optional<EventRejection> CheckCash(const CashEvent& cash, const ValidationLimits& limits) {
  if (auto r = CheckId("cash.atm_id", cash.atm_id(), limits)) return r;
  if (cash.kind() == CashEvent::KIND_UNSPECIFIED || !CashEvent::Kind_IsValid(cash.kind())) {
    return BadEnum("cash.kind", cash.kind(), "kind", *CashEvent::Kind_descriptor());
  }
  if (cash.cassettes().empty()) {
    return Reject("missing_field", "cash.cassettes needs at least one cassette");
  }
  if (cash.cassettes_size() > kMaxCassettes) {
    return Reject("too_many_cassettes", fmt::format("cash.cassettes has {}, at most {} allowed",
                                                    cash.cassettes_size(), kMaxCassettes));
  }
  for (int i = 0; i < cash.cassettes_size(); ++i) {
    const CashEvent::Cassette& cassette = cash.cassettes(i);
    if (!IsYenNote(cassette.denomination_yen())) {
      return Reject("bad_denomination",
                    fmt::format("cash.cassettes[{}].denomination_yen {} is not a yen note; valid: "
                                "1000, 2000, 5000, 10000",
                                i, cassette.denomination_yen()));
    }
    if (cassette.notes() < 0 || cassette.notes() > kMaxNotesPerCassette) {
      return Reject("bad_notes", fmt::format("cash.cassettes[{}].notes {} is not within 0..{}", i,
                                             cassette.notes(), kMaxNotesPerCassette));
    }
  }
  if (cash.cost_yen() < 0) {
    return Reject("bad_amount", fmt::format("cash.cost_yen {} is negative", cash.cost_yen()));
  }
  if (cash.cost_yen() != 0 && cash.kind() != CashEvent::REPLENISHMENT) {
    return Reject("bad_amount", "cash.cost_yen is only for REPLENISHMENT (a count costs nothing)");
  }
  return std::nullopt;
}

std::optional<EventRejection> CheckCardRetained(const CardRetained& card,
                                                const ValidationLimits& limits) {
  if (auto r = CheckId("card_retained.atm_id", card.atm_id(), limits)) return r;
  if (card.reason() == CardRetained::REASON_UNSPECIFIED ||
      !CardRetained::Reason_IsValid(card.reason())) {
    return BadEnum("card_retained.reason", card.reason(), "reason",
                   *CardRetained::Reason_descriptor());
  }
  return CheckText("card_retained.issuer", card.issuer(), limits);
}

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int y = std::stoi(std::string(s.substr(0, 4)));
  const unsigned m = std::stoul(std::string(s.substr(5, 2)));
  const unsigned d = std::stoul(std::string(s.substr(8, 2)));
  return std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m),
                                     std::chrono::day(d))
      .ok();
}

std::optional<EventRejection> CheckLedger(const LedgerEntry& entry,
                                          const ValidationLimits& limits) {
  if (entry.category() == LedgerEntry::CATEGORY_UNSPECIFIED ||
      !LedgerEntry::Category_IsValid(entry.category())) {
    return BadEnum("ledger.category", entry.category(), "category",
                   *LedgerEntry::Category_descriptor());
  }
  if (entry.booking_date().empty())
    return Reject("missing_field", "ledger.booking_date is required");
  if (!IsIsoDate(entry.booking_date())) {
    return Reject("bad_date", fmt::format("ledger.booking_date '{}' is not a YYYY-MM-DD date",
                                          entry.booking_date().substr(0, 32)));
  }
  if (auto r = CheckText("ledger.memo", entry.memo(), limits)) return r;
  return CheckText("ledger.entry_ref", entry.entry_ref(), limits);
}

}  // namespace

std::string ValidEnumNames(const google::protobuf::EnumDescriptor& type) {
  std::string names;
  for (int i = 0; i < type.value_count(); ++i) {
    const std::string& name = type.value(i)->name();
    if (name.ends_with("_UNSPECIFIED")) continue;
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

std::optional<EventRejection> ValidateEvent(const v1::Envelope& event,
                                            const ValidationLimits& limits,
                                            std::int64_t now_unix_ms) {
  const events::EventKind kind = events::KindOf(event);
  if (kind == events::EventKind::kNone) {
    return Reject("missing_event", "the envelope carries no event");
  }
  if (auto r = CheckTime(event.time_unix_ms(), limits, now_unix_ms)) return r;
  switch (kind) {
    case events::EventKind::kTransaction:
      return CheckTransaction(event.transaction(), limits);
    case events::EventKind::kStatus:
      return CheckStatus(event.status(), limits);
    case events::EventKind::kLine:
      return CheckLine(event.line(), limits);
    case events::EventKind::kLedger:
      return CheckLedger(event.ledger(), limits);
    case events::EventKind::kCash:
      return CheckCash(event.cash(), limits);
    case events::EventKind::kCardRetained:
      return CheckCardRetained(event.card_retained(), limits);
    case events::EventKind::kNone:
      break;
  }
  return std::nullopt;
}

}  // namespace atmwatch::ingest
