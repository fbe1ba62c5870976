#pragma once

// The notes left in one ATM's cassettes, computed from its cash events and
// approved withdrawals, and the lifetime cash counters of that ATM.
//
// Rules (all by event time, applied in arrival order, which replay keeps):
// - A REPLENISHMENT at T replaces the cassettes: the position becomes the
//   loaded notes, as of T.
// - A COUNT at T is the device's own figure and wins: the position becomes
//   the counted notes, as of T. Where a computed position existed, any
//   difference (yen, summed per denomination) is a discrepancy.
// - An approved withdrawal after the position's time dispenses its amount,
//   largest notes first as ATMs do (greedy over what is left). An amount the
//   greedy pass cannot make is a "short" withdrawal: the rest is taken from
//   the smallest notes up, down to an empty ATM, never below zero.
// - A reversed withdrawal after the position's time puts its amount back,
//   largest notes first, into the denominations the ATM was loaded with.
// - Anything not newer than the position's time (a withdrawal, reversal or
//   count from before the last visit or count, or an older visit arriving
//   late) leaves the notes alone and is counted as late: the cassettes it
//   is about are gone, or its effect is already in a newer count. A late
//   visit still counts as a visit and books its cost.
// - An ATM never replenished or counted has no position; its withdrawals
//   are skipped (the engine keeps a dense flag per ATM for that test).

#include <array>
#include <cstdint>

#include "atmwatch/v1/events.pb.h"

namespace atmwatch::engine {

class CashPositionState;

// The yen notes, largest first: the order ATMs dispense in.
inline constexpr std::array<int32_t, 4> kYenNotes = {10000, 5000, 2000, 1000};

// One ATM's record, compact since there is one per ATM of a fleet (15k).
struct CashPosition {
  // Time of the replenishment or count the notes are as of; 0 = no position.
  int64_t as_of_unix_ms = 0;
  std::array<int32_t, kYenNotes.size()> notes{};  // by kYenNotes
  // Yen dispensed from and put back into a known position.
  int64_t dispensed_yen = 0;
  int64_t returned_yen = 0;
  int64_t discrepancy_yen = 0;
  int64_t in_transit_cost_yen = 0;
  uint32_t replenishments = 0;
  uint32_t discrepancies = 0;
  uint32_t short_withdrawals = 0;
  // Events that changed no notes because the position is newer (above).
  uint32_t late_events = 0;
  // Bit i: the last replenishment loaded kYenNotes[i] (where reversals go).
  uint8_t loaded = 0;

  bool known() const { return as_of_unix_ms != 0; }
  // Any cash event or dispensing so far: the ATM has cash series.
  bool active() const { return known() || replenishments != 0 || late_events != 0; }
  int64_t RemainingYen() const;

  void Apply(const v1::CashEvent& event, int64_t time_unix_ms);
  // Inline: on every approved withdrawal of the fleet.
  void Dispense(int64_t amount_yen, int64_t time_unix_ms) {
    if (known()) DispenseKnown(amount_yen, time_unix_ms);
  }
  void Return(int64_t amount_yen, int64_t time_unix_ms) {
    if (known()) ReturnKnown(amount_yen, time_unix_ms);
  }

  void Save(CashPositionState* out) const;
  void Restore(const CashPositionState& saved);

 private:
  void DispenseKnown(int64_t amount_yen, int64_t time_unix_ms);
  void ReturnKnown(int64_t amount_yen, int64_t time_unix_ms);
  // Whether an event at `time_unix_ms` may change the notes; counts it late if not.
  bool Current(int64_t time_unix_ms);
};

static_assert(sizeof(CashPosition) <= 80, "one per ATM of the fleet");

}  // namespace atmwatch::engine
