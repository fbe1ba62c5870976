// The availabilities of an ATM (hardware, comms, cardholder) over
// hand-built timelines, in the business hours of its site.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/event_testing.h"

namespace atmwatch::engine {
namespace {

using namespace std::chrono;
using v1::AtmStatus;
using v1::LineEvent;

constexpr year_month_day kMonday = 2010y / April / 5;
constexpr year_month_day kSaturday = 2010y / April / 10;
constexpr year_month_day kSunday = 2010y / April / 11;
constexpr year_month_day kHolidayMonday = 2010y / April / 12;  // configured below
constexpr int64_t kMinute = 60'000;

BusinessHours ShopHours() {
  BusinessHours shop = BusinessHours::Daily(9 * 60, 18 * 60);
  shop.On(HoursDay::kSaturday) = {10 * 60, 17 * 60};
  shop.On(HoursDay::kSunday) = DayHours::Closed();
  shop.On(HoursDay::kHoliday) = DayHours::Closed();
  return shop;
}

// PARLOR1 (site parlor, 10:00-24:00 every day) talks over line L1; SHOP1
// (site shop) has no line; OWN1 is at the shop but keeps its own hours.
EngineConfig Config() {
  EngineConfig config;
  config.inventory = {{.id = "PARLOR1", .site = "parlor", .line_id = "L1", .carrier = "docomo"},
                      {.id = "SHOP1", .site = "shop"},
                      {.id = "OWN1", .site = "shop", .hours = BusinessHours::Daily(0, 24 * 60)}};
  config.calendar = Calendar(Calendar::kDefaultUtcOffset, 4, {kHolidayMonday});
  config.site_hours = {{"parlor", BusinessHours::Daily(10 * 60, 24 * 60)}, {"shop", ShopHours()}};
  return config;
}

struct Figures {
  uint64_t business = 0;
  uint64_t hardware = 0;
  uint64_t comms = 0;
  uint64_t cardholder = 0;
  bool operator==(const Figures&) const = default;
};

Figures FiguresOf(const Engine& engine, const std::string& atm) {
  Figures figures;
  engine.Read([&](const EngineView& view) {
    const AtmAvailability& a = view.atms[*view.fleet.Find(atm)].availability;
    figures = {a.business_seconds_total,
               a.available_seconds_total[AvailabilityIndex(Availability::kHardware)],
               a.available_seconds_total[AvailabilityIndex(Availability::kComms)],
               a.available_seconds_total[AvailabilityIndex(Availability::kCardholder)]};
  });
  return figures;
}

// Heartbeats of `atm` every 2 minutes over [from, to] (and interims of L1's
// `session` with them when one is named).
void HeardFrom(Engine& engine, const std::string& atm, int64_t from, int64_t to,
               const char* session = nullptr) {
  for (int64_t t = from; t <= to; t += 2 * kMinute) {
    if (session != nullptr) engine.Apply(LineEventOf("L1", t, LineEvent::SESSION_INTERIM, session));
    engine.Apply(HeartbeatEvent(atm, t));
  }
}

TEST(AvailabilityTest, AnOutOfServiceStateDropsHardwareNotComms) {
  Engine engine(Config());
  const int64_t ten = JapanTime(kMonday, 10);
  engine.Apply(StatusEvent("SHOP1", ten, AtmStatus::IN_SERVICE));
  HeardFrom(engine, "SHOP1", ten + 2 * kMinute, ten + 18 * kMinute);
  engine.Apply(StatusEvent("SHOP1", ten + 20 * kMinute, AtmStatus::OUT_OF_SERVICE));
  HeardFrom(engine, "SHOP1", ten + 22 * kMinute, ten + 38 * kMinute);
  engine.Apply(StatusEvent("SHOP1", ten + 40 * kMinute, AtmStatus::IN_SERVICE));
  HeardFrom(engine, "SHOP1", ten + 42 * kMinute, ten + 60 * kMinute);
  EXPECT_EQ(FiguresOf(engine, "SHOP1"), (Figures{3600, 2400, 3600, 2400}));
  engine.Read([&](const EngineView& view) {
    const AtmAvailability& a = view.atms[*view.fleet.Find("SHOP1")].availability;
    const int64_t day = view.calendar.LocalDayNumber(ten);
    EXPECT_EQ(a.AvailableOn(day, Availability::kHardware), 2400u);
    EXPECT_EQ(a.AvailableOn(day, Availability::kComms), 3600u);
    EXPECT_EQ(a.AvailableOn(day), 2400u);
  });
}

TEST(AvailabilityTest, ALineThatStopsAndStartsDropsCommsNotHardware) {
  Engine engine(Config());
  const int64_t ten = JapanTime(kMonday, 10);
  engine.Apply(LineEventOf("L1", ten, LineEvent::SESSION_START, "s1"));
  HeardFrom(engine, "PARLOR1", ten, ten + 18 * kMinute, "s1");
  engine.Apply(LineEventOf("L1", ten + 20 * kMinute, LineEvent::SESSION_STOP, "s1"));
  HeardFrom(engine, "PARLOR1", ten + 20 * kMinute, ten + 38 * kMinute);
  engine.Apply(LineEventOf("L1", ten + 40 * kMinute, LineEvent::SESSION_START, "s2"));
  HeardFrom(engine, "PARLOR1", ten + 40 * kMinute, ten + 60 * kMinute, "s2");
  EXPECT_EQ(FiguresOf(engine, "PARLOR1"), (Figures{3600, 3600, 2400, 2400}));
}

TEST(AvailabilityTest, AClosedSiteDropsCardholderOnly) {
  Engine engine(Config());
  const int64_t noon = JapanTime(kMonday, 12);
  engine.Apply(StatusEvent("SHOP1", noon, AtmStatus::IN_SERVICE));
  HeardFrom(engine, "SHOP1", noon + 2 * kMinute, noon + 28 * kMinute);
  engine.Apply(StatusEvent("SHOP1", noon + 30 * kMinute, AtmStatus::CLOSED));
  HeardFrom(engine, "SHOP1", noon + 32 * kMinute, noon + 58 * kMinute);
  engine.Apply(StatusEvent("SHOP1", noon + 60 * kMinute, AtmStatus::IN_SERVICE));
  EXPECT_EQ(FiguresOf(engine, "SHOP1"), (Figures{3600, 3600, 3600, 1800}));
}

TEST(AvailabilityTest, EachSiteCountsItsOwnHours) {
  // Heard from 08:00 to 20:00 on a weekday, a Saturday, a Sunday and a
  // holiday Monday: business seconds follow each ATM's hours.
  const struct {
    year_month_day date;
    Figures parlor, shop, own;
  } days[] = {
      {kMonday, {36000, 36000, 0, 0}, {32400, 32400, 32400, 32400}, {43200, 43200, 43200, 43200}},
      {kSaturday, {36000, 36000, 0, 0}, {25200, 25200, 25200, 25200}, {43200, 43200, 43200, 43200}},
      {kSunday, {36000, 36000, 0, 0}, {}, {43200, 43200, 43200, 43200}},
      {kHolidayMonday, {36000, 36000, 0, 0}, {}, {43200, 43200, 43200, 43200}},
  };
  for (const auto& day : days) {
    Engine engine(Config());
    for (const char* atm : {"PARLOR1", "SHOP1", "OWN1"}) {
      HeardFrom(engine, atm, JapanTime(day.date, 8), JapanTime(day.date, 20));
    }
    // PARLOR1's line never starts a session: its comms and cardholder stay 0.
    EXPECT_EQ(FiguresOf(engine, "PARLOR1"), day.parlor);
    EXPECT_EQ(FiguresOf(engine, "SHOP1"), day.shop);
    EXPECT_EQ(FiguresOf(engine, "OWN1"), day.own);
    engine.Read([&](const EngineView& view) {
      EXPECT_EQ(view.hours.distinct(), 4u);  // default, parlor, shop, OWN1's own
      const int64_t noon = JapanTime(day.date, 12);
      EXPECT_TRUE(view.hours.Of(*view.fleet.Find("PARLOR1")).Contains(view.calendar, noon));
      EXPECT_EQ(view.hours.Of(*view.fleet.Find("SHOP1")).Contains(view.calendar, noon),
                day.shop.business != 0);
    });
  }
}

TEST(AvailabilityTest, AnAtmWithoutSiteHoursTakesTheDefault) {
  EngineConfig config = Config();
  config.inventory.push_back({.id = "ELSEWHERE", .site = "station"});
  Engine engine(config);
  HeardFrom(engine, "ELSEWHERE", JapanTime(kSunday, 9), JapanTime(kSunday, 11));
  HeardFrom(engine, "UNKNOWN", JapanTime(kSunday, 9), JapanTime(kSunday, 11));
  // The default business_hours, 10:00-23:00 every day.
  EXPECT_EQ(FiguresOf(engine, "ELSEWHERE"), (Figures{3600, 3600, 3600, 3600}));
  EXPECT_EQ(FiguresOf(engine, "UNKNOWN"), (Figures{3600, 3600, 3600, 3600}));
}

// The events of a morning at both ATMs, in time order.
std::vector<v1::Envelope> Morning() {
  std::vector<v1::Envelope> events;
  const int64_t nine = JapanTime(kMonday, 9);
  events.push_back(LineEventOf("L1", nine, LineEvent::SESSION_START, "s1"));
  for (int m = 0; m <= 180; m += 3) {
    const int64_t t = nine + m * kMinute;
    if (m == 60) events.push_back(StatusEvent("SHOP1", t, AtmStatus::CASH_OUT));
    if (m == 90) events.push_back(StatusEvent("SHOP1", t, AtmStatus::IN_SERVICE));
    if (m == 120) events.push_back(LineEventOf("L1", t, LineEvent::SESSION_STOP, "s1"));
    if (m == 150) events.push_back(LineEventOf("L1", t, LineEvent::SESSION_START, "s2"));
    if (m % 6 == 0 && m < 120)
      events.push_back(LineEventOf("L1", t, LineEvent::SESSION_INTERIM, "s1"));
    if (m % 6 == 0 && m > 150)
      events.push_back(LineEventOf("L1", t, LineEvent::SESSION_INTERIM, "s2"));
    if (m < 100 || m > 115) events.push_back(HeartbeatEvent("PARLOR1", t));
    events.push_back(HeartbeatEvent("SHOP1", t));
  }
  return events;
}

TEST(AvailabilityTest, ReplayLateEventsAndRestoreGiveTheSameFigures) {
  const std::vector<v1::Envelope> events = Morning();
  Engine once(Config());
  for (const auto& event : events) once.Apply(event);

  // The same events again (a replay after a crash) and late ones change nothing counted.
  Engine twice(Config());
  for (const auto& event : events) twice.Apply(event);
  for (const auto& event : events) twice.Apply(event);
  twice.Apply(StatusEvent("SHOP1", JapanTime(kMonday, 10, 20), AtmStatus::OUT_OF_SERVICE));
  twice.Apply(HeartbeatEvent("PARLOR1", JapanTime(kMonday, 10, 45)));
  EXPECT_EQ(FiguresOf(twice, "PARLOR1"), FiguresOf(once, "PARLOR1"));
  EXPECT_EQ(FiguresOf(twice, "SHOP1"), FiguresOf(once, "SHOP1"));

  // Snapshot and restore half way.
  Engine first_half(Config());
  for (std::size_t i = 0; i < events.size() / 2; ++i) first_half.Apply(events[i]);
  Engine resumed(Config());
  ASSERT_TRUE(resumed.RestoreState(first_half.SerializeState()));
  for (std::size_t i = events.size() / 2; i < events.size(); ++i) resumed.Apply(events[i]);
  EXPECT_EQ(resumed.SerializeState(), once.SerializeState());

  // The figures themselves, 09:00-12:00 (SHOP1 from 09:00, PARLOR1 from 10:00).
  EXPECT_EQ(FiguresOf(once, "SHOP1"), (Figures{10800, 9000, 10800, 9000}));
  // PARLOR1 from 10:00: its line is attached only 11:00-11:30 (comms and
  // cardholder), it is silent 10:44-10:57 (cardholder only).
  EXPECT_EQ(FiguresOf(once, "PARLOR1"), (Figures{7200, 7200, 5400, 4620}));
}

TEST(AvailabilityTest, KeptDaysRollOverAfterThirtyFiveDays) {
  AtmAvailability availability;
  const Calendar calendar;
  const BusinessHours all_day = BusinessHours::Daily(0, 24 * 60);
  const int64_t first = JapanTime(kMonday, 0);
  for (int d = 0; d < 40; ++d) {
    const int64_t from = first + d * 24 * 60 * kMinute;
    availability.Credit(calendar, all_day, from, from + 60 * kMinute,
                        {from, from + kMinute, from + 60 * kMinute});
  }
  const std::vector<AtmAvailability::Day> kept = availability.KeptDays();
  ASSERT_EQ(kept.size(), 35u);
  const int64_t first_day = calendar.LocalDayNumber(first);
  EXPECT_EQ(kept.front().day, first_day + 5);
  EXPECT_EQ(kept.back().day, first_day + 39);
  EXPECT_EQ(availability.AvailableOn(first_day), 0u);
  EXPECT_EQ(availability.AvailableOn(first_day + 39, Availability::kComms), 60u);
  EXPECT_EQ(availability.AvailableOn(first_day + 39), 3600u);
  EXPECT_EQ(availability.business_seconds_total, 40u * 3600);
  EXPECT_EQ(availability.available_seconds_total[0], 0u);
}

}  // namespace
}  // namespace atmwatch::engine
