// ATM state, MVNO lines and availability as the engine keeps them
// (engine.h, availability.h, line_table.h wired together).

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "engine/engine.h"
#include "engine/event_testing.h"

namespace atmwatch::engine {
namespace {

using namespace std::chrono;
using v1::AtmStatus;
using v1::LineEvent;

constexpr year_month_day kDay = 2010y / April / 5;  // a Monday
constexpr int64_t kMinute = 60'000;

year_month_day NextDay(year_month_day date) { return year_month_day{sys_days(date) + days(1)}; }

// ATM0001 talks over line L1, ATM0002 has no line.
EngineConfig Config(BusinessHours hours = {}) {
  EngineConfig config;
  config.inventory = {{.id = "ATM0001", .line_id = "L1", .carrier = "docomo"}, {.id = "ATM0002"}};
  config.business_hours = hours;
  return config;
}

AtmIndex IndexOf(const EngineView& view, const std::string& id) { return *view.fleet.Find(id); }

bool Up(const Engine& engine, const std::string& atm, int64_t now) {
  bool up = false;
  engine.Read([&](const EngineView& view) { up = view.AtmUp(IndexOf(view, atm), now); });
  return up;
}

int64_t AvailableToday(const Engine& engine, const std::string& atm, int64_t now) {
  int64_t seconds = -1;
  engine.Read([&](const EngineView& view) {
    seconds = view.AvailableSecondsToday(IndexOf(view, atm), now);
  });
  return seconds;
}

AtmAvailability AvailabilityOf(const Engine& engine, const std::string& atm) {
  AtmAvailability availability;
  engine.Read(
      [&](const EngineView& view) { availability = view.atms[IndexOf(view, atm)].availability; });
  return availability;
}

TEST(ConnectivityTest, LineEventsDriveStateBytesSessionsAndFlaps) {
  Engine engine(Config());
  const int64_t t = JapanTime(kDay, 12);
  EXPECT_FALSE(engine.Apply(LineEventOf("L1", t, LineEvent::SESSION_START, "s1")));
  EXPECT_FALSE(
      engine.Apply(LineEventOf("L1", t + 5 * kMinute, LineEvent::SESSION_INTERIM, "s1", 100, 10)));
  EXPECT_FALSE(
      engine.Apply(LineEventOf("L1", t + 7 * kMinute, LineEvent::SESSION_STOP, "s1", 150, 20)));
  EXPECT_FALSE(engine.Apply(LineEventOf("L9", t, LineEvent::SESSION_START, "x", 0, 0, "kddi")));
  engine.Read([&](const EngineView& view) {
    const auto l1 = view.lines.Find("L1", t + 8 * kMinute);
    ASSERT_TRUE(l1);
    EXPECT_EQ(l1->state, LineState::kAttached);
    EXPECT_TRUE(l1->bound);
    // detached -> in session (first change), in session -> attached 7 min later: one flap.
    EXPECT_EQ(l1->flaps, 1u);
    EXPECT_FALSE(view.lines.Find("L9", t)->bound);
    const auto totals = view.lines.Totals(t + 8 * kMinute);
    ASSERT_EQ(totals.size(), 2u);
    EXPECT_EQ(totals[0].carrier, "docomo");
    EXPECT_EQ(totals[0].bytes_in, 150u);
    EXPECT_EQ(totals[0].bytes_out, 20u);
    EXPECT_EQ(totals[0].sessions_started, 1u);
    EXPECT_EQ(totals[0].sessions_stopped, 1u);
    EXPECT_EQ(totals[1].lines[static_cast<std::size_t>(LineState::kInSession)], 1u);
    EXPECT_EQ(view.lines.bound_lines().size(), 1u);
  });
}

TEST(ConnectivityTest, BoundLinesFollowTheInventoryOnReload) {
  Engine engine(Config());
  EngineConfig reloaded = Config();
  reloaded.inventory[0].line_id = "L2";
  engine.Reconfigure(reloaded);
  engine.Read([&](const EngineView& view) {
    EXPECT_EQ(view.lines.bound_lines().count("L1"), 0u);
    EXPECT_EQ(view.lines.bound_lines().count("L2"), 1u);
    EXPECT_FALSE(view.lines.Find("L1", 0)->bound);
  });
}

TEST(ConnectivityTest, NewLinesBeyondTheCapAreRefusedBoundOnesNot) {
  EngineConfig config = Config();
  config.lines.max_lines = 2;  // L1 (bound) + one more
  Engine engine(config);
  const int64_t t = JapanTime(kDay, 12);
  EXPECT_FALSE(engine.Apply(LineEventOf("L7", t, LineEvent::ATTACH)));
  EXPECT_EQ(engine.Apply(LineEventOf("L8", t, LineEvent::ATTACH)), "line_cap");
  EXPECT_FALSE(engine.Apply(LineEventOf("L1", t, LineEvent::ATTACH)));
  EXPECT_FALSE(engine.Apply(LineEventOf("L7", t + kMinute, LineEvent::DETACH)));
  engine.Read([&](const EngineView& view) {
    EXPECT_EQ(view.lines.size(), 2u);
    EXPECT_EQ(view.lines.counters().ignored_cap, 1u);
  });
}

TEST(ConnectivityTest, StatusSetsTheStateAndItsSinceLateOnesDoNot) {
  Engine engine(Config());
  EXPECT_EQ(AvailabilityOf(engine, "ATM0002").state, AtmServiceState::kInService);
  EXPECT_EQ(AvailabilityOf(engine, "ATM0002").state_since_unix_ms, 0);
  const int64_t t = JapanTime(kDay, 12);
  engine.Apply(StatusEvent("ATM0002", t, AtmStatus::MAINTENANCE));
  engine.Apply(
      StatusEvent("ATM0002", t + kMinute, AtmStatus::MAINTENANCE));      // same state: since stays
  engine.Apply(HeartbeatEvent("ATM0002", t + 2 * kMinute));              // no state change
  engine.Apply(StatusEvent("ATM0002", t - kMinute, AtmStatus::CLOSED));  // late: ignored
  AtmAvailability a = AvailabilityOf(engine, "ATM0002");
  EXPECT_EQ(a.state, AtmServiceState::kMaintenance);
  EXPECT_EQ(a.state_since_unix_ms, t);
  engine.Apply(StatusEvent("ATM0002", t + 3 * kMinute, AtmStatus::CASH_LOW));
  a = AvailabilityOf(engine, "ATM0002");
  EXPECT_EQ(a.state, AtmServiceState::kCashLow);
  EXPECT_EQ(a.state_since_unix_ms, t + 3 * kMinute);
  EXPECT_EQ(AtmStateName(a.state), "cash_low");
}

TEST(ConnectivityTest, UpNeedsServiceStateLineAndNoSilence) {
  Engine engine(Config());
  const int64_t t = JapanTime(kDay, 12);
  // Never heard from: not up, although in service by default.
  EXPECT_FALSE(Up(engine, "ATM0002", t));
  engine.Apply(HeartbeatEvent("ATM0002", t));
  EXPECT_TRUE(Up(engine, "ATM0002", t + 5 * kMinute));       // no line in the inventory
  EXPECT_FALSE(Up(engine, "ATM0002", t + 5 * kMinute + 1));  // silent longer than 5m
  engine.Apply(StatusEvent("ATM0002", t + kMinute, AtmStatus::CASH_LOW));
  EXPECT_TRUE(Up(engine, "ATM0002", t + 2 * kMinute));
  engine.Apply(StatusEvent("ATM0002", t + 2 * kMinute, AtmStatus::CASH_OUT));
  EXPECT_FALSE(Up(engine, "ATM0002", t + 2 * kMinute));

  // ATM0001 needs L1 too.
  engine.Apply(HeartbeatEvent("ATM0001", t));
  EXPECT_FALSE(Up(engine, "ATM0001", t));  // bound line never seen: detached
  engine.Apply(LineEventOf("L1", t, LineEvent::SESSION_START, "s1"));
  EXPECT_TRUE(Up(engine, "ATM0001", t + kMinute));
  // In session without an interim for more than 2 x 5m: stale, so down.
  engine.Apply(HeartbeatEvent("ATM0001", t + 11 * kMinute));
  EXPECT_FALSE(Up(engine, "ATM0001", t + 11 * kMinute));
  engine.Apply(LineEventOf("L1", t + 11 * kMinute, LineEvent::SESSION_INTERIM, "s1", 10, 10));
  EXPECT_TRUE(Up(engine, "ATM0001", t + 11 * kMinute));
  engine.Apply(LineEventOf("L1", t + 12 * kMinute, LineEvent::DETACH));
  EXPECT_FALSE(Up(engine, "ATM0001", t + 12 * kMinute));
}

TEST(ConnectivityTest, BusinessSecondsSplitAtLocalMidnight) {
  const Calendar calendar;
  const BusinessHours hours = BusinessHours::Daily(10 * 60, 23 * 60);
  const int64_t day = calendar.LocalDayNumber(JapanTime(kDay, 12));
  const int64_t from = JapanTime(kDay, 22);
  const int64_t to = JapanTime(NextDay(kDay), 11);
  EXPECT_EQ(hours.SecondsWithin(calendar, day, from, to), 3600);
  EXPECT_EQ(hours.SecondsWithin(calendar, day + 1, from, to), 3600);
  EXPECT_EQ(hours.SecondsSoFar(calendar, day, JapanTime(kDay, 9)), 0);
  EXPECT_EQ(hours.SecondsSoFar(calendar, day, JapanTime(kDay, 12, 30)), 9000);
  EXPECT_EQ(hours.SecondsSoFar(calendar, day, JapanTime(kDay, 23, 59)), 13 * 3600);
  EXPECT_TRUE(hours.Contains(calendar, JapanTime(kDay, 10)));
  EXPECT_FALSE(hours.Contains(calendar, JapanTime(kDay, 23)));

  AtmAvailability availability;
  availability.Credit(calendar, hours, from, to, {to, to, to});
  EXPECT_EQ(availability.AvailableOn(day), 3600u);
  EXPECT_EQ(availability.AvailableOn(day + 1), 3600u);
}

TEST(ConnectivityTest, AvailabilityCountsEventTimesWithinBusinessHours) {
  Engine engine(Config());  // 10:00-23:00
  const year_month_day next = NextDay(kDay);
  // Heartbeats every 4 minutes 22:40..23:20, then silence until 09:50 the
  // next day, then every 4 minutes until 10:22.
  for (int m = 0; m <= 40; m += 4)
    engine.Apply(HeartbeatEvent("ATM0002", JapanTime(kDay, 22, 40 + m)));
  for (int m = 0; m <= 32; m += 4)
    engine.Apply(HeartbeatEvent("ATM0002", JapanTime(next, 9, 50 + m)));
  const AtmAvailability a = AvailabilityOf(engine, "ATM0002");
  const Calendar calendar;
  const int64_t day = calendar.LocalDayNumber(JapanTime(kDay, 12));
  EXPECT_EQ(a.AvailableOn(day), 20 * 60u);      // 22:40-23:00
  EXPECT_EQ(a.AvailableOn(day + 1), 22 * 60u);  // 10:00-10:22 counted by events
  // So far today adds the open stretch since the last event, up to the silence.
  EXPECT_EQ(AvailableToday(engine, "ATM0002", JapanTime(next, 10, 24)), 24 * 60);
  EXPECT_EQ(AvailableToday(engine, "ATM0002", JapanTime(next, 10, 40)), 27 * 60);
  // Yesterday's figure from today's point of view is not today's.
  EXPECT_EQ(AvailableToday(engine, "ATM0002", JapanTime(kDay, 23, 30)), 20 * 60);
}

TEST(ConnectivityTest, AvailabilityAcrossMidnightWithAllDayHours) {
  EngineConfig config = Config(BusinessHours::Daily(0, 24 * 60));
  config.atm_silence_ms = 15 * kMinute;
  Engine engine(config);
  engine.Apply(HeartbeatEvent("ATM0002", JapanTime(kDay, 23, 55)));
  engine.Apply(HeartbeatEvent("ATM0002", JapanTime(NextDay(kDay), 0, 5)));
  const AtmAvailability a = AvailabilityOf(engine, "ATM0002");
  const int64_t day = Calendar().LocalDayNumber(JapanTime(kDay, 12));
  EXPECT_EQ(a.AvailableOn(day), 300u);
  EXPECT_EQ(a.AvailableOn(day + 1), 300u);
}

TEST(ConnectivityTest, LineDownAndOutOfServiceStopAvailability) {
  Engine engine(Config());
  // In time order: L1 is in session with interims until it detaches at
  // 10:30, ATM0002 goes out of service at 10:20.
  engine.Apply(LineEventOf("L1", JapanTime(kDay, 10), LineEvent::SESSION_START, "s1"));
  engine.Apply(StatusEvent("ATM0002", JapanTime(kDay, 10), AtmStatus::IN_SERVICE));
  for (int m = 0; m <= 60; m += 2) {
    if (m > 0 && m < 30) {
      engine.Apply(LineEventOf("L1", JapanTime(kDay, 10, m), LineEvent::SESSION_INTERIM, "s1"));
    }
    if (m == 30) engine.Apply(LineEventOf("L1", JapanTime(kDay, 10, m), LineEvent::DETACH));
    if (m == 20)
      engine.Apply(StatusEvent("ATM0002", JapanTime(kDay, 10, m), AtmStatus::OUT_OF_SERVICE));
    engine.Apply(HeartbeatEvent("ATM0001", JapanTime(kDay, 10, m)));
    engine.Apply(HeartbeatEvent("ATM0002", JapanTime(kDay, 10, m)));
  }
  const int64_t day = Calendar().LocalDayNumber(JapanTime(kDay, 12));
  EXPECT_EQ(AvailabilityOf(engine, "ATM0001").AvailableOn(day), 30 * 60u);
  EXPECT_EQ(AvailabilityOf(engine, "ATM0002").AvailableOn(day), 20 * 60u);
  EXPECT_EQ(AvailableToday(engine, "ATM0001", JapanTime(kDay, 12)), 30 * 60);
}

// A line only attached has no data session, so the ATM cannot reach the
// host: down, and no availability, until a session starts.
TEST(ConnectivityTest, AttachedLineWithoutSessionIsDown) {
  Engine engine(Config());
  engine.Apply(LineEventOf("L1", JapanTime(kDay, 10), LineEvent::SESSION_START, "s1"));
  engine.Apply(HeartbeatEvent("ATM0001", JapanTime(kDay, 10)));
  EXPECT_TRUE(Up(engine, "ATM0001", JapanTime(kDay, 10, 1)));
  engine.Apply(LineEventOf("L1", JapanTime(kDay, 10, 2), LineEvent::SESSION_STOP, "s1"));
  for (int m = 2; m <= 30; m += 2) {
    if (m == 20) {
      engine.Read([&](const EngineView& view) {
        EXPECT_EQ(view.lines.Find("L1", JapanTime(kDay, 10, m))->state, LineState::kAttached);
      });
      EXPECT_FALSE(Up(engine, "ATM0001", JapanTime(kDay, 10, m)));
      engine.Apply(LineEventOf("L1", JapanTime(kDay, 10, m), LineEvent::SESSION_START, "s2"));
    }
    engine.Apply(HeartbeatEvent("ATM0001", JapanTime(kDay, 10, m)));
  }
  EXPECT_TRUE(Up(engine, "ATM0001", JapanTime(kDay, 10, 30)));
  const int64_t day = Calendar().LocalDayNumber(JapanTime(kDay, 12));
  // 10:00-10:02 in s1, 10:20-10:30 in s2; the attached stretch is not counted.
  EXPECT_EQ(AvailabilityOf(engine, "ATM0001").AvailableOn(day), 12 * 60u);
}

TEST(ConnectivityTest, SnapshotRoundTripKeepsLinesStatesAndAvailability) {
  Engine original(Config());
  const int64_t t = JapanTime(kDay, 11);
  original.Apply(LineEventOf("L1", t, LineEvent::SESSION_START, "s1"));
  original.Apply(LineEventOf("L1", t + 5 * kMinute, LineEvent::SESSION_INTERIM, "s1", 500, 70));
  original.Apply(LineEventOf("L5", t, LineEvent::SESSION_START, "z", 0, 0, "kddi"));
  for (int m = 0; m <= 10; m += 2) original.Apply(HeartbeatEvent("ATM0001", t + m * kMinute));
  original.Apply(StatusEvent("ATM0002", t, AtmStatus::MAINTENANCE));
  original.Apply(StatusEvent("UNKNOWN1", t, AtmStatus::CLOSED));

  Engine restored(Config());
  ASSERT_TRUE(restored.RestoreState(original.SerializeState()));
  EXPECT_EQ(restored.SerializeState(), original.SerializeState());
  EXPECT_EQ(AvailableToday(restored, "ATM0001", t + 12 * kMinute),
            AvailableToday(original, "ATM0001", t + 12 * kMinute));
  EXPECT_EQ(AvailabilityOf(restored, "UNKNOWN1").state, AtmServiceState::kClosed);
  // Both go on the same way: the late Interim of s1 and a replayed duplicate.
  for (Engine* engine : {&original, &restored}) {
    engine->Apply(LineEventOf("L1", t + 10 * kMinute, LineEvent::SESSION_INTERIM, "s1", 900, 90));
    engine->Apply(LineEventOf("L1", t + 10 * kMinute, LineEvent::SESSION_INTERIM, "s1", 900, 90));
  }
  EXPECT_EQ(restored.SerializeState(), original.SerializeState());
  restored.Read([&](const EngineView& view) {
    EXPECT_EQ(view.lines.Totals(t)[0].bytes_in, 900u);
    EXPECT_TRUE(view.lines.Find("L1", t)->bound);
    EXPECT_EQ(view.lines.counters().ignored_duplicate, 1u);
  });
}

v1::Envelope Components(const std::string& atm, int64_t time, AtmStatus::Component::Kind kind,
                        AtmStatus::Component::Severity severity, uint32_t cassette = 0) {
  v1::Envelope event;
  event.set_time_unix_ms(time);
  event.mutable_status()->set_atm_id(atm);
  auto* component = event.mutable_status()->add_components();
  component->set_kind(kind);
  component->set_severity(severity);
  component->set_cassette(cassette);
  return event;
}

// A status with components alone is a sign of life; a fatal dispenser, card
// reader or PIN pad (or every reported cassette) takes the ATM down and
// stops its availability; a fatal receipt printer does not.
TEST(ConnectivityTest, UpNeedsHardwareThatServesWithdrawals) {
  Engine engine(Config());
  using C = AtmStatus::Component;
  engine.Apply(StatusEvent("ATM0002", JapanTime(kDay, 10), AtmStatus::IN_SERVICE));
  engine.Apply(Components("ATM0002", JapanTime(kDay, 10, 2), C::RECEIPT_PRINTER, C::FATAL));
  EXPECT_TRUE(Up(engine, "ATM0002", JapanTime(kDay, 10, 3)));
  engine.Apply(Components("ATM0002", JapanTime(kDay, 10, 4), C::DISPENSER, C::FATAL));
  EXPECT_FALSE(Up(engine, "ATM0002", JapanTime(kDay, 10, 5)));
  engine.Apply(Components("ATM0002", JapanTime(kDay, 10, 6), C::DISPENSER, C::OK));
  EXPECT_TRUE(Up(engine, "ATM0002", JapanTime(kDay, 10, 7)));
  engine.Apply(Components("ATM0002", JapanTime(kDay, 10, 8), C::CASSETTE, C::FATAL, 2));
  EXPECT_FALSE(Up(engine, "ATM0002", JapanTime(kDay, 10, 9)));
  engine.Apply(Components("ATM0002", JapanTime(kDay, 10, 10), C::CASSETTE, C::WARNING, 3));
  EXPECT_TRUE(Up(engine, "ATM0002", JapanTime(kDay, 10, 11)));
  engine.Apply(Components("ATM0002", JapanTime(kDay, 10, 12), C::EPP, C::FATAL));
  EXPECT_FALSE(Up(engine, "ATM0002", JapanTime(kDay, 10, 12)));
  // A late report of the old, working PIN pad changes nothing.
  engine.Apply(Components("ATM0002", JapanTime(kDay, 10, 11), C::EPP, C::OK));
  EXPECT_FALSE(Up(engine, "ATM0002", JapanTime(kDay, 10, 13)));
  engine.Apply(HeartbeatEvent("ATM0002", JapanTime(kDay, 10, 14)));
  const int64_t day = Calendar().LocalDayNumber(JapanTime(kDay, 12));
  // Up 10:00-10:04, 10:06-10:08, 10:10-10:12.
  EXPECT_EQ(AvailabilityOf(engine, "ATM0002").AvailableOn(day), 8 * 60u);
}

TEST(ConnectivityTest, SnapshotRoundTripKeepsComponentsAndCardsRetained) {
  Engine original(Config());
  using C = AtmStatus::Component;
  const int64_t t = JapanTime(kDay, 11);
  original.Apply(Components("ATM0002", t, C::CARD_READER, C::FATAL));
  original.Apply(Components("UNKNOWN1", t, C::CASSETTE, C::WARNING, 5));
  v1::Envelope card;
  card.set_time_unix_ms(t);
  card.mutable_card_retained()->set_atm_id("ATM0001");
  card.mutable_card_retained()->set_reason(v1::CardRetained::DEVICE_FAULT);
  EXPECT_EQ(original.Apply(card), std::nullopt);

  Engine restored(Config());
  ASSERT_TRUE(restored.RestoreState(original.SerializeState()));
  EXPECT_EQ(restored.SerializeState(), original.SerializeState());
  restored.Read([&](const EngineView& view) {
    const DeviceHealth& atm2 = view.devices[IndexOf(view, "ATM0002")];
    EXPECT_EQ(atm2.severity(Component::kCardReader), Severity::kFatal);
    EXPECT_EQ(atm2.since_unix_ms(Component::kCardReader), t);
    EXPECT_EQ(view.devices[IndexOf(view, "UNKNOWN1")].severity(
                  static_cast<Component>(static_cast<int>(Component::kCassette1) + 4)),
              Severity::kWarning);
    const DeviceHealth& atm1 = view.devices[IndexOf(view, "ATM0001")];
    EXPECT_FALSE(atm1.reported());
    EXPECT_EQ(atm1.cards_retained(2), 1u);
  });
  // A retained card is no sign of life.
  EXPECT_FALSE(Up(restored, "ATM0001", t));
}

// Snapshots from before device health have no device record: every
// component unknown, and the ATM up as before.
TEST(ConnectivityTest, OldSnapshotRestoresWithoutDeviceRecords) {
  Engine original(Config());
  original.Apply(HeartbeatEvent("ATM0002", JapanTime(kDay, 11)));
  const std::string before = original.SerializeState();
  Engine restored(Config());
  using C = AtmStatus::Component;
  restored.Apply(Components("ATM0002", JapanTime(kDay, 10), C::DISPENSER, C::FATAL));
  ASSERT_TRUE(restored.RestoreState(before));
  EXPECT_TRUE(Up(restored, "ATM0002", JapanTime(kDay, 11, 1)));
  restored.Read([&](const EngineView& view) {
    EXPECT_FALSE(view.devices[IndexOf(view, "ATM0002")].active());
  });
  EXPECT_EQ(restored.SerializeState(), before);
}

}  // namespace
}  // namespace atmwatch::engine
