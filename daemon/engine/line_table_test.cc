#include "engine/line_table.h"

#include <gtest/gtest.h>

#include "engine_state.pb.h"

namespace atmwatch::engine {
namespace {

using events::kTerminateCauseCount;
using events::TerminateCause;
using v1::LineEvent;

constexpr std::int64_t kT0 = 1'700'000'000'000;  // ms
constexpr std::int64_t kMinute = 60'000;

LineObservation Event(LineEvent::Kind kind, std::int64_t time_ms, std::string_view session = "s1",
                      std::uint64_t in = 0, std::uint64_t out = 0,
                      std::string_view line = "819012345678", std::string_view carrier = "docomo") {
  return {line, carrier, kind, session, in, out, time_ms, {}, std::nullopt};
}

LineObservation Stop(std::int64_t time_ms, std::string_view session, std::string_view cause,
                     std::string_view line = "819012345678", std::string_view carrier = "docomo") {
  LineObservation event = Event(LineEvent::SESSION_STOP, time_ms, session, 0, 0, line, carrier);
  event.terminate_cause = cause;
  return event;
}

LineObservation WithSignal(LineObservation event, std::int32_t dbm) {
  event.signal_dbm = dbm;
  return event;
}

const CarrierTotals& TotalsOf(const std::vector<CarrierTotals>& all, std::string_view carrier) {
  for (const CarrierTotals& totals : all) {
    if (totals.carrier == carrier) return totals;
  }
  static const CarrierTotals kNone;
  ADD_FAILURE() << "no carrier " << carrier;
  return kNone;
}

std::uint64_t Lines(const LineTable& table, std::string_view carrier, LineState state,
                    std::int64_t now = kT0) {
  return TotalsOf(table.Totals(now), carrier).lines[static_cast<std::size_t>(state)];
}

std::uint64_t Ends(const LineTable& table, std::string_view carrier, TerminateCause cause) {
  return TotalsOf(table.Totals(kT0), carrier).session_ends[static_cast<std::size_t>(cause)];
}

TEST(LineTableTest, StartInterimStopWalksTheStatesAndCountsBytesOnce) {
  LineTable table;
  EXPECT_EQ(table.Apply(Event(LineEvent::SESSION_START, kT0)), LineApply::kApplied);
  EXPECT_EQ(table.Find("819012345678", kT0)->state, LineState::kInSession);
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 5 * kMinute, "s1", 1000, 300));
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 10 * kMinute, "s1", 5000, 700));
  table.Apply(Event(LineEvent::SESSION_STOP, kT0 + 12 * kMinute, "s1", 6000, 900));

  const auto view = table.Find("819012345678", kT0 + 12 * kMinute);
  EXPECT_EQ(view->state, LineState::kAttached);
  EXPECT_EQ(view->last_seen_unix_ms, kT0 + 12 * kMinute);
  const CarrierTotals totals = TotalsOf(table.Totals(kT0), "docomo");
  EXPECT_EQ(totals.bytes_in, 6000u);
  EXPECT_EQ(totals.bytes_out, 900u);
  EXPECT_EQ(totals.sessions_started, 1u);
  EXPECT_EQ(totals.sessions_stopped, 1u);
  EXPECT_EQ(totals.lines[static_cast<std::size_t>(LineState::kAttached)], 1u);
  EXPECT_EQ(totals.lines[static_cast<std::size_t>(LineState::kInSession)], 0u);
}

TEST(LineTableTest, AttachAndDetachWithoutSession) {
  LineTable table;
  table.Apply(Event(LineEvent::ATTACH, kT0, ""));
  EXPECT_EQ(table.Find("819012345678", kT0)->state, LineState::kAttached);
  table.Apply(Event(LineEvent::DETACH, kT0 + 20 * kMinute, ""));
  EXPECT_EQ(table.Find("819012345678", kT0)->state, LineState::kDetached);
  EXPECT_EQ(Lines(table, "docomo", LineState::kDetached), 1u);
}

TEST(LineTableTest, DetachInSessionEndsTheSession) {
  LineTable table;
  table.Apply(Event(LineEvent::SESSION_START, kT0));
  table.Apply(Event(LineEvent::DETACH, kT0 + kMinute, ""));
  const CarrierTotals totals = TotalsOf(table.Totals(kT0), "docomo");
  EXPECT_EQ(totals.sessions_stopped, 1u);
  EXPECT_EQ(totals.lines[static_cast<std::size_t>(LineState::kDetached)], 1u);
  // The session's late Stop changes nothing.
  EXPECT_EQ(table.Apply(Event(LineEvent::SESSION_STOP, kT0 + 2 * kMinute, "s1", 10, 10)),
            LineApply::kIgnoredStale);
  EXPECT_EQ(TotalsOf(table.Totals(kT0), "docomo").bytes_in, 0u);
}

TEST(LineTableTest, ExactRepeatIsADuplicate) {
  LineTable table;
  const LineObservation interim = Event(LineEvent::SESSION_INTERIM, kT0, "s1", 100, 50);
  EXPECT_EQ(table.Apply(interim), LineApply::kApplied);
  EXPECT_EQ(table.Apply(interim), LineApply::kIgnoredDuplicate);
  EXPECT_EQ(TotalsOf(table.Totals(kT0), "docomo").bytes_in, 100u);
  EXPECT_EQ(table.counters().ignored_duplicate, 1u);
}

TEST(LineTableTest, OlderInterimArrivingLateMovesNothingBack) {
  LineTable table;
  table.Apply(Event(LineEvent::SESSION_START, kT0));
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 10 * kMinute, "s1", 2000, 200));
  EXPECT_EQ(table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 5 * kMinute, "s1", 1000, 100)),
            LineApply::kIgnoredStale);
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 15 * kMinute, "s1", 2500, 250));
  const CarrierTotals totals = TotalsOf(table.Totals(kT0), "docomo");
  EXPECT_EQ(totals.bytes_in, 2500u);
  EXPECT_EQ(totals.bytes_out, 250u);
  EXPECT_EQ(table.Find("819012345678", kT0)->session_bytes_in, 2500u);
}

TEST(LineTableTest, InterimAfterStopIsIgnored) {
  LineTable table;
  table.Apply(Event(LineEvent::SESSION_START, kT0));
  table.Apply(Event(LineEvent::SESSION_STOP, kT0 + 10 * kMinute, "s1", 900, 90));
  // A retransmitted interim of the same session, stamped after the Stop.
  EXPECT_EQ(table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 11 * kMinute, "s1", 950, 95)),
            LineApply::kIgnoredStale);
  EXPECT_EQ(table.Find("819012345678", kT0)->state, LineState::kAttached);
  EXPECT_EQ(TotalsOf(table.Totals(kT0), "docomo").bytes_in, 900u);
}

TEST(LineTableTest, CounterResetCountsTheNewValueWhole) {
  LineTable table;
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0, "s1", 4'000'000'000, 10));
  // The NAS restarted its 32-bit counter without gigawords.
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 5 * kMinute, "s1", 500, 20));
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 10 * kMinute, "s1", 800, 30));
  const CarrierTotals totals = TotalsOf(table.Totals(kT0), "docomo");
  EXPECT_EQ(totals.bytes_in, 4'000'000'800u);
  EXPECT_EQ(totals.bytes_out, 30u);
}

TEST(LineTableTest, LowerCounterAtTheSameTimeIsNotAReset) {
  LineTable table;
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0, "s1", 1000, 100));
  EXPECT_EQ(table.Apply(Event(LineEvent::SESSION_STOP, kT0, "s1", 900, 100)), LineApply::kApplied);
  EXPECT_EQ(TotalsOf(table.Totals(kT0), "docomo").bytes_in, 1000u);
}

TEST(LineTableTest, NewSessionStartsFromZeroAndEndsTheOldOne) {
  LineTable table;
  table.Apply(Event(LineEvent::SESSION_START, kT0, "s1"));
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 5 * kMinute, "s1", 700, 70));
  // The NAS lost the Stop of s1; s2 reports its own counters.
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 30 * kMinute, "s2", 300, 30));
  CarrierTotals totals = TotalsOf(table.Totals(kT0), "docomo");
  EXPECT_EQ(totals.bytes_in, 1000u);
  EXPECT_EQ(totals.sessions_started, 2u);
  EXPECT_EQ(totals.sessions_stopped, 1u);
  EXPECT_EQ(totals.lines[static_cast<std::size_t>(LineState::kInSession)], 1u);

  // s1's Stop, stamped after s2 began (skewed clocks): ignored, never re-counted.
  EXPECT_EQ(table.Apply(Event(LineEvent::SESSION_STOP, kT0 + 31 * kMinute, "s1", 800, 80)),
            LineApply::kIgnoredStale);
  totals = TotalsOf(table.Totals(kT0), "docomo");
  EXPECT_EQ(totals.bytes_in, 1000u);
  EXPECT_EQ(totals.sessions_started, 2u);
}

TEST(LineTableTest, DuplicateStartDoesNotCountASecondSession) {
  LineTable table;
  table.Apply(Event(LineEvent::SESSION_START, kT0));
  table.Apply(Event(LineEvent::SESSION_START, kT0));
  table.Apply(Event(LineEvent::SESSION_START, kT0 + 1000));  // a retransmit stamped later
  EXPECT_EQ(TotalsOf(table.Totals(kT0), "docomo").sessions_started, 1u);
}

TEST(LineTableTest, StateChangesWithinTheWindowAreFlaps) {
  LineTable table(LineTableOptions{.flap_window = std::chrono::minutes(10)});
  table.Apply(Event(LineEvent::SESSION_START, kT0, "s1"));                   // first change
  table.Apply(Event(LineEvent::SESSION_STOP, kT0 + 2 * kMinute, "s1"));      // flap
  table.Apply(Event(LineEvent::SESSION_START, kT0 + 4 * kMinute, "s2"));     // flap
  table.Apply(Event(LineEvent::SESSION_STOP, kT0 + 30 * kMinute, "s2"));     // calm again
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 31 * kMinute, "s2"));  // stale, no change
  EXPECT_EQ(table.Find("819012345678", kT0)->flaps, 2u);
  EXPECT_EQ(TotalsOf(table.Totals(kT0), "docomo").flaps, 2u);
}

TEST(LineTableTest, SessionWithoutInterimForTwiceTheIntervalIsStale) {
  LineTable table(LineTableOptions{.interim_interval = std::chrono::minutes(5)});
  table.Apply(Event(LineEvent::SESSION_START, kT0, "s1", 0, 0, "A"));
  table.Apply(Event(LineEvent::SESSION_START, kT0, "s9", 0, 0, "B"));
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 8 * kMinute, "s9", 10, 10, "B"));

  EXPECT_FALSE(table.Find("A", kT0 + 10 * kMinute)->stale);
  EXPECT_TRUE(table.Find("A", kT0 + 10 * kMinute + 1000)->stale);
  EXPECT_EQ(TotalsOf(table.Totals(kT0 + 10 * kMinute + 1000), "docomo").stale_sessions, 1u);
  EXPECT_EQ(TotalsOf(table.Totals(kT0 + 30 * kMinute), "docomo").stale_sessions, 2u);

  // An interim revives it; a stop ends it and it is no session at all.
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 29 * kMinute, "s1", 5, 5, "A"));
  EXPECT_EQ(TotalsOf(table.Totals(kT0 + 30 * kMinute), "docomo").stale_sessions, 1u);
  table.Apply(Event(LineEvent::SESSION_STOP, kT0 + 30 * kMinute, "s9", 10, 10, "B"));
  EXPECT_EQ(TotalsOf(table.Totals(kT0 + 60 * kMinute), "docomo").stale_sessions, 1u);
  EXPECT_FALSE(table.Find("B", kT0 + 60 * kMinute)->stale);
}

TEST(LineTableTest, TotalsPerCarrierAndState) {
  LineTable table;
  table.Apply(Event(LineEvent::SESSION_START, kT0, "a", 0, 0, "L1", "docomo"));
  table.Apply(Event(LineEvent::SESSION_START, kT0, "b", 0, 0, "L2", "docomo"));
  table.Apply(Event(LineEvent::ATTACH, kT0, "", 0, 0, "L3", "kddi"));
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 1, "c", 40, 4, "L4", "kddi"));
  table.Apply(Event(LineEvent::DETACH, kT0, "", 0, 0, "L5", ""));
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 2, "a", 10, 1, "L1", ""));  // keeps docomo

  EXPECT_EQ(Lines(table, "docomo", LineState::kInSession), 2u);
  EXPECT_EQ(Lines(table, "kddi", LineState::kAttached), 1u);
  EXPECT_EQ(Lines(table, "kddi", LineState::kInSession), 1u);
  EXPECT_EQ(Lines(table, "unknown", LineState::kDetached), 1u);
  EXPECT_EQ(TotalsOf(table.Totals(kT0), "docomo").bytes_in, 10u);
  EXPECT_EQ(TotalsOf(table.Totals(kT0), "kddi").bytes_out, 4u);
  EXPECT_EQ(table.size(), 5u);
}

TEST(LineTableTest, LineMovingToAnotherCarrierMovesItsCount) {
  LineTable table;
  table.Apply(Event(LineEvent::SESSION_START, kT0, "a", 0, 0, "L1", "docomo"));
  table.Apply(Event(LineEvent::SESSION_START, kT0 + 1, "b", 0, 0, "L1", "kddi"));
  EXPECT_EQ(Lines(table, "docomo", LineState::kInSession), 0u);
  EXPECT_EQ(Lines(table, "kddi", LineState::kInSession), 1u);
  EXPECT_EQ(TotalsOf(table.Totals(kT0 + 100 * kMinute), "kddi").stale_sessions, 1u);
  EXPECT_EQ(TotalsOf(table.Totals(kT0 + 100 * kMinute), "docomo").stale_sessions, 0u);
}

TEST(LineTableTest, CarriersBeyondTheCapBecomeOther) {
  LineTable table(LineTableOptions{.max_carriers = 3});
  for (std::string_view carrier : {"c1", "c2", "c3", "c4"}) {
    table.Apply(Event(LineEvent::ATTACH, kT0, "", 0, 0, carrier, carrier));
  }
  const auto totals = table.Totals(kT0);
  ASSERT_EQ(totals.size(), 3u);
  EXPECT_EQ(totals[2].carrier, "other");
  EXPECT_EQ(totals[2].lines[static_cast<std::size_t>(LineState::kAttached)], 2u);
}

TEST(LineTableTest, BoundLinesAreListedApartAndCountedDetachedUntilSeen) {
  LineTable table;
  table.Bind("L1", "docomo");
  table.Apply(Event(LineEvent::SESSION_START, kT0, "a", 0, 0, "L2", "docomo"));
  EXPECT_EQ(table.bound_lines().size(), 1u);
  EXPECT_TRUE(table.Find("L1", kT0)->bound);
  EXPECT_FALSE(table.Find("L2", kT0)->bound);
  EXPECT_EQ(Lines(table, "docomo", LineState::kDetached), 1u);
  EXPECT_FALSE(table.Find("L1", kT0)->last_seen_unix_ms.has_value());
  table.Unbind("L1");
  EXPECT_TRUE(table.bound_lines().empty());
  EXPECT_FALSE(table.Find("L1", kT0)->bound);
}

TEST(LineTableTest, InvalidEventsChangeNothing) {
  LineTable table;
  EXPECT_EQ(table.Apply(Event(LineEvent::SESSION_START, kT0, "")), LineApply::kIgnoredInvalid);
  EXPECT_EQ(table.Apply(Event(LineEvent::KIND_UNSPECIFIED, kT0)), LineApply::kIgnoredInvalid);
  EXPECT_EQ(table.Apply(Event(LineEvent::ATTACH, kT0, "", 0, 0, "")), LineApply::kIgnoredInvalid);
  EXPECT_EQ(table.size(), 0u);
}

TEST(LineTableTest, AppliesProtoEvents) {
  LineTable table;
  v1::LineEvent event;
  event.set_line_id("819012345678");
  event.set_carrier("docomo");
  event.set_kind(LineEvent::SESSION_INTERIM);
  event.set_session_id("5A1B0001");
  event.set_bytes_in(1000);
  event.set_bytes_out(4294967301);
  EXPECT_EQ(table.Apply(event, kT0), LineApply::kApplied);
  EXPECT_EQ(TotalsOf(table.Totals(kT0), "docomo").bytes_out, 4294967301u);
}

TEST(LineTableTest, StopEndsTheSessionAndCountsItsCause) {
  LineTable table;
  table.Apply(Event(LineEvent::SESSION_START, kT0, "s1"));
  EXPECT_EQ(table.Apply(Stop(kT0 + kMinute, "s1", "Lost-Carrier")), LineApply::kApplied);
  EXPECT_EQ(table.Find("819012345678", kT0 + kMinute)->state, LineState::kAttached);
  // A retransmitted Stop is not counted twice.
  EXPECT_EQ(table.Apply(Stop(kT0 + kMinute, "s1", "Lost-Carrier")), LineApply::kIgnoredDuplicate);
  EXPECT_EQ(Ends(table, "docomo", TerminateCause::kLostCarrier), 1u);

  table.Apply(Event(LineEvent::SESSION_START, kT0 + 2 * kMinute, "s2"));
  table.Apply(Stop(kT0 + 3 * kMinute, "s2", "Vendor-Specific-Thing"));
  table.Apply(Event(LineEvent::SESSION_START, kT0 + 4 * kMinute, "s3"));
  table.Apply(Stop(kT0 + 5 * kMinute, "s3", ""));
  // Ended by the next session's start and by a detach: no cause known.
  table.Apply(Event(LineEvent::SESSION_START, kT0 + 6 * kMinute, "s4"));
  table.Apply(Event(LineEvent::SESSION_START, kT0 + 7 * kMinute, "s5"));
  table.Apply(Event(LineEvent::DETACH, kT0 + 8 * kMinute, ""));
  EXPECT_EQ(Ends(table, "docomo", TerminateCause::kOther), 1u);
  EXPECT_EQ(Ends(table, "docomo", TerminateCause::kUnknown), 3u);
  const CarrierTotals totals = TotalsOf(table.Totals(kT0), "docomo");
  std::uint64_t ends = 0;
  for (std::uint64_t count : totals.session_ends) ends += count;
  EXPECT_EQ(ends, totals.sessions_stopped);
}

TEST(LineTableTest, LastSignalIsKeptUntilANewReading) {
  LineTable table;
  EXPECT_FALSE(table.Find("819012345678", kT0).has_value());
  table.Apply(Event(LineEvent::SESSION_START, kT0, "s1"));
  EXPECT_FALSE(table.Find("819012345678", kT0)->signal_dbm.has_value());
  table.Apply(WithSignal(Event(LineEvent::SESSION_INTERIM, kT0 + kMinute, "s1", 10, 10), -87));
  table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + 2 * kMinute, "s1", 20, 20));
  table.Apply(Stop(kT0 + 3 * kMinute, "s1", "Lost-Carrier"));
  EXPECT_EQ(table.Find("819012345678", kT0)->signal_dbm, -87);
  // A late event is ignored with its reading.
  table.Apply(WithSignal(Event(LineEvent::ATTACH, kT0, ""), -60));
  EXPECT_EQ(table.Find("819012345678", kT0)->signal_dbm, -87);
  table.Apply(WithSignal(Event(LineEvent::SESSION_START, kT0 + 4 * kMinute, "s2"), -104));
  EXPECT_EQ(table.Find("819012345678", kT0)->signal_dbm, -104);
  // No real reading is this far out; kept within 16 bits.
  table.Apply(WithSignal(Event(LineEvent::SESSION_INTERIM, kT0 + 5 * kMinute, "s2"), -1'000'000));
  EXPECT_EQ(table.Find("819012345678", kT0)->signal_dbm, -32767);
}

TEST(LineTableTest, AppliesSignalAndCauseOfProtoEvents) {
  LineTable table;
  v1::LineEvent event;
  event.set_line_id("819012345678");
  event.set_carrier("docomo");
  event.set_kind(LineEvent::SESSION_STOP);
  event.set_session_id("5A1B0001");
  event.set_signal_dbm(-95);
  event.set_terminate_cause("Idle-Timeout");
  EXPECT_EQ(table.Apply(event, kT0), LineApply::kApplied);
  EXPECT_EQ(table.Find("819012345678", kT0)->signal_dbm, -95);
  EXPECT_EQ(Ends(table, "docomo", TerminateCause::kIdleTimeout), 1u);
}

TEST(LineTableTest, SnapshotRoundTripKeepsSignalAndCauses) {
  LineTable original;
  original.Apply(WithSignal(Event(LineEvent::SESSION_START, kT0, "s1"), -101));
  original.Apply(Stop(kT0 + kMinute, "s1", "Lost-Carrier"));
  original.Apply(Event(LineEvent::SESSION_START, kT0, "x", 0, 0, "L2", "kddi"));
  original.Apply(Stop(kT0 + kMinute, "x", "Session-Timeout", "L2", "kddi"));
  original.Apply(Event(LineEvent::ATTACH, kT0, "", 0, 0, "L3", "kddi"));
  LineTableState saved;
  original.Save(&saved);

  LineTable restored;
  restored.Restore(saved);
  LineTableState again;
  restored.Save(&again);
  EXPECT_EQ(again.SerializeAsString(), saved.SerializeAsString());
  EXPECT_EQ(restored.Find("819012345678", kT0)->signal_dbm, -101);
  EXPECT_FALSE(restored.Find("L3", kT0)->signal_dbm.has_value());
  EXPECT_EQ(Ends(restored, "docomo", TerminateCause::kLostCarrier), 1u);
  EXPECT_EQ(Ends(restored, "kddi", TerminateCause::kSessionTimeout), 1u);
  // Both go on alike: the next Stop of the line counts once in each.
  for (LineTable* table : {&original, &restored}) {
    table->Apply(Event(LineEvent::SESSION_START, kT0 + 2 * kMinute, "s2"));
    table->Apply(Stop(kT0 + 3 * kMinute, "s2", "Lost-Carrier"));
  }
  LineTableState original_after, restored_after;
  original.Save(&original_after);
  restored.Save(&restored_after);
  EXPECT_EQ(restored_after.SerializeAsString(), original_after.SerializeAsString());
  EXPECT_EQ(Ends(restored, "docomo", TerminateCause::kLostCarrier), 2u);
}

TEST(LineTableTest, PerLineRecordStaysCompact) {
  // Hundreds of thousands of lines: the record is what each one costs
  // besides its id and the hash map node.
  EXPECT_LE(sizeof(LineRecord), 64u);
  LineTable table;
  for (int i = 0; i < 200000; ++i) {
    const std::string line = "8190" + std::to_string(10000000 + i);
    table.Apply(Event(LineEvent::SESSION_INTERIM, kT0 + i, "s", 100, 10, line, "docomo"));
  }
  EXPECT_EQ(table.size(), 200000u);
  const auto totals = table.Totals(kT0);
  ASSERT_EQ(totals.size(), 1u);  // no per-line structure beyond the table itself
  EXPECT_EQ(totals[0].bytes_in, 200000u * 100u);
}

}  // namespace
}  // namespace atmwatch::engine
