#include "engine/cash_position.h"

#include <algorithm>
#include <cstdlib>

#include "engine_state.pb.h"

namespace atmwatch::engine {
namespace {

constexpr std::size_t kDenominations = kYenNotes.size();

// The index of a yen note in kYenNotes; validation admits no other.
std::size_t IndexOf(int32_t denomination_yen) {
  for (std::size_t i = 0; i < kDenominations; ++i) {
    if (kYenNotes[i] == denomination_yen) return i;
  }
  return kDenominations;
}

// The cassettes summed by denomination (several may hold the same note).
std::array<int32_t, kDenominations> NotesOf(const v1::CashEvent& event) {
  std::array<int32_t, kDenominations> notes{};
  for (const auto& cassette : event.cassettes()) {
    const std::size_t i = IndexOf(cassette.denomination_yen());
    if (i < kDenominations) notes[i] += cassette.notes();
  }
  return notes;
}

// Takes what it can of `left` yen in notes of `yen`; inlined with `yen` a
// constant, the division is a multiplication (this runs per withdrawal).
inline int64_t TakeNotes(int32_t& notes, int64_t left, int64_t yen) {
  const int64_t take = std::min<int64_t>(notes, left / yen);
  notes -= static_cast<int32_t>(take);
  return left - take * yen;
}

}  // namespace

int64_t CashPosition::RemainingYen() const {
  int64_t yen = 0;
  for (std::size_t i = 0; i < kDenominations; ++i) yen += int64_t{notes[i]} * kYenNotes[i];
  return yen;
}

bool CashPosition::Current(int64_t time_unix_ms) {
  if (time_unix_ms >= as_of_unix_ms) return true;
  ++late_events;
  return false;
}

void CashPosition::Apply(const v1::CashEvent& event, int64_t time_unix_ms) {
  if (event.kind() == v1::CashEvent::REPLENISHMENT) {
    ++replenishments;
    in_transit_cost_yen += event.cost_yen();
    if (!Current(time_unix_ms)) return;
    notes = NotesOf(event);
    loaded = 0;
    for (std::size_t i = 0; i < kDenominations; ++i) {
      if (notes[i] > 0) loaded |= static_cast<uint8_t>(1U << i);
    }
    as_of_unix_ms = time_unix_ms;
    return;
  }
  if (event.kind() != v1::CashEvent::COUNT || !Current(time_unix_ms)) return;
  const auto counted = NotesOf(event);
  if (known()) {
    int64_t difference_yen = 0;
    for (std::size_t i = 0; i < kDenominations; ++i) {
      difference_yen += int64_t{std::abs(counted[i] - notes[i])} * kYenNotes[i];
    }
    if (difference_yen != 0) {
      ++discrepancies;
      discrepancy_yen += difference_yen;
    }
  }
  notes = counted;
  as_of_unix_ms = time_unix_ms;
}

void CashPosition::DispenseKnown(int64_t amount_yen, int64_t time_unix_ms) {
  // Strictly after: a withdrawal at the very millisecond of a visit or count
  // is taken to be in that figure already.
  if (time_unix_ms <= as_of_unix_ms) {
    ++late_events;
    return;
  }
  dispensed_yen += amount_yen;
  static_assert(kDenominations == 4, "one TakeNotes per denomination, largest first");
  int64_t left = TakeNotes(notes[0], amount_yen, kYenNotes[0]);
  if (left > 0) left = TakeNotes(notes[1], left, kYenNotes[1]);
  if (left > 0) left = TakeNotes(notes[2], left, kYenNotes[2]);
  if (left > 0) left = TakeNotes(notes[3], left, kYenNotes[3]);
  if (left <= 0) return;
  // The cash left the ATM all the same, so the position was off: take it
  // from the smallest notes up.
  ++short_withdrawals;
  for (std::size_t i = kDenominations; i-- > 0 && left > 0;) {
    const int64_t take = std::min<int64_t>(notes[i], (left + kYenNotes[i] - 1) / kYenNotes[i]);
    notes[i] -= static_cast<int32_t>(take);
    left -= take * kYenNotes[i];
  }
}

void CashPosition::ReturnKnown(int64_t amount_yen, int64_t time_unix_ms) {
  if (time_unix_ms <= as_of_unix_ms) {
    ++late_events;
    return;
  }
  returned_yen += amount_yen;
  int64_t left = amount_yen;
  for (std::size_t i = 0; i < kDenominations && left > 0; ++i) {
    if ((loaded & (1U << i)) == 0) continue;
    const int64_t put = left / kYenNotes[i];
    notes[i] += static_cast<int32_t>(put);
    left -= put * kYenNotes[i];
  }
}

void CashPosition::Save(CashPositionState* out) const {
  out->set_as_of_unix_ms(as_of_unix_ms);
  for (const int32_t n : notes) out->add_notes(n);
  out->set_loaded(loaded);
  out->set_dispensed_yen(dispensed_yen);
  out->set_returned_yen(returned_yen);
  out->set_discrepancy_yen(discrepancy_yen);
  out->set_in_transit_cost_yen(in_transit_cost_yen);
  out->set_replenishments(replenishments);
  out->set_discrepancies(discrepancies);
  out->set_short_withdrawals(short_withdrawals);
  out->set_late_events(late_events);
}

void CashPosition::Restore(const CashPositionState& saved) {
  *this = CashPosition{};
  as_of_unix_ms = saved.as_of_unix_ms();
  const int n = std::min(saved.notes_size(), static_cast<int>(kDenominations));
  for (int i = 0; i < n; ++i) notes[static_cast<std::size_t>(i)] = saved.notes(i);
  loaded = static_cast<uint8_t>(saved.loaded());
  dispensed_yen = saved.dispensed_yen();
  returned_yen = saved.returned_yen();
  discrepancy_yen = saved.discrepancy_yen();
  in_transit_cost_yen = saved.in_transit_cost_yen();
  replenishments = saved.replenishments();
  discrepancies = saved.discrepancies();
  short_withdrawals = saved.short_withdrawals();
  late_events = saved.late_events();
}

}  // namespace atmwatch::engine
