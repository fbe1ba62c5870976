#include "cli/demo_fleet.h"

#include <gtest/gtest.h>

#include <map>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "config/daemon_config.h"
#include "engine/calendar.h"
#include "engine/fee_schedule.h"

namespace atmwatch::cli {
namespace {

constexpr std::int64_t kMinuteMs = 60 * 1000;
constexpr std::int64_t kHourMs = 60 * kMinuteMs;
constexpr std::int64_t kDayMs = 24 * kHourMs;
// 2026-12-04 11:30 UTC, 20:30 in Japan: the local day began 20.5 hours ago.
constexpr std::int64_t kStart = 1796383800000;

std::vector<v1::Envelope> EventsBetween(DemoFleet& fleet, std::int64_t from, std::int64_t to) {
  std::vector<v1::Envelope> events;
  for (std::int64_t t = from; t < to; t += kMinuteMs) {
    fleet.AppendEvents(t, std::min(t + kMinuteMs, to), &events);
  }
  return events;
}

int TransactionsOf(const std::vector<v1::Envelope>& events, const std::string& atm) {
  int count = 0;
  for (const auto& event : events) {
    count += event.has_transaction() && event.transaction().atm_id() == atm;
  }
  return count;
}

TEST(DemoFleetTest, ConfigIsADaemonConfigWithCostsAPlanAndRoundTheClockHours) {
  const DemoFleet fleet(20, 1, kStart);
  config::DaemonConfig parsed;
  ASSERT_TRUE(config::ParseConfig(fleet.ConfigYaml(), "demo.yaml", &parsed).ok());
  EXPECT_EQ(parsed.atms.size(), 20u);
  EXPECT_EQ(parsed.business_hours.On(engine::HoursDay::kWeekday).start_minute, 0);
  EXPECT_EQ(parsed.business_hours.On(engine::HoursDay::kWeekday).end_minute, 24 * 60);
  EXPECT_GT(parsed.costs.per_atm_monthly_yen, 0);
  EXPECT_GT(parsed.costs.fixed_monthly_yen, 0);
  EXPECT_EQ(parsed.costs.per_transaction_yen, 10);
  // A plan for the fiscal year of the day before the start (2026-12-03):
  // a loss of 400 / 1,250 of the year's costs, breakeven in its second half.
  ASSERT_EQ(parsed.plan.fiscal_years.size(), 1u);
  const engine::FiscalYearPlan& year = parsed.plan.fiscal_years[0];
  EXPECT_EQ(year.fiscal_year, 2026);
  const double yearly_costs = 12.0 * static_cast<double>(parsed.costs.per_atm_monthly_yen * 20 +
                                                         parsed.costs.fixed_monthly_yen);
  EXPECT_NEAR(static_cast<double>(*year.budget.operating_income_yen), -yearly_costs * 0.32, 1);
  ASSERT_TRUE(parsed.plan.breakeven.has_value());
  EXPECT_EQ(parsed.plan.breakeven->first, std::chrono::year(2026) / 10 / 1);
  EXPECT_EQ(parsed.plan.breakeven->last, std::chrono::year(2027) / 3 / 31);
}

TEST(DemoFleetTest, RevenueCoversTheReferenceQuartersShareOfCosts) {
  // A usual week (four weeks back, before anything misbehaves), priced with
  // the built-in fees, against the model's costs for it: 98 / 369 as in 4Q09.
  DemoFleet fleet(20, 3, kStart);
  const std::int64_t from = fleet.history_start_unix_ms();
  const auto events = EventsBetween(fleet, from, from + 7 * kDayMs);
  const engine::Calendar calendar;
  const engine::FeeSchedule fees;
  double revenue = 0;
  std::uint64_t transactions = 0;
  for (const auto& event : events) {
    if (!event.has_transaction()) continue;
    ++transactions;
    revenue += static_cast<double>(fees.Commission(event.transaction(),
                                                   calendar.DayClassAt(event.time_unix_ms()),
                                                   calendar.MinuteOfDay(event.time_unix_ms())));
  }
  const engine::PeriodFigures costs = engine::ModelCosts(fleet.Costs(), 7, 7 * 20, transactions);
  // Usage then was 3.5 weeks of 2.2% growth below today's, on which costs are set.
  EXPECT_NEAR(revenue / static_cast<double>(costs.total_costs_yen()),
              98.0 / 369 * (1 - 3.5 * 28.0 / 98 / 13), 0.01);
}

TEST(DemoFleetTest, TheSilentAtmStopsTransactingButStaysUp) {
  DemoFleet fleet(20, 1, kStart);
  const std::string silent = fleet.fleet().atms()[fleet.silent_atm()].id;
  const auto before = EventsBetween(fleet, kStart - 2 * kDayMs, kStart - kDayMs);
  EXPECT_GT(TransactionsOf(before, silent), 10000);
  // The local day began at 15:00 UTC the day before the start.
  const auto today = EventsBetween(fleet, kStart - 20 * kHourMs, kStart);
  EXPECT_EQ(TransactionsOf(today, silent), 0);
  int heartbeats = 0;
  for (const auto& event : today) {
    heartbeats += event.has_status() && event.status().atm_id() == silent;
  }
  EXPECT_EQ(heartbeats, 20 * 60 / 4);
}

TEST(DemoFleetTest, TheLowUsageAtmDoesATenthOfItsUsual) {
  DemoFleet fleet(20, 1, kStart);
  const std::string low = fleet.fleet().atms()[fleet.low_usage_atm()].id;
  const int week_before = TransactionsOf(
      EventsBetween(fleet, kStart - 7 * kDayMs - 20 * kHourMs, kStart - 7 * kDayMs), low);
  const int today = TransactionsOf(EventsBetween(fleet, kStart - 20 * kHourMs, kStart), low);
  EXPECT_NEAR(static_cast<double>(today) / week_before, 0.1, 0.02);
}

TEST(DemoFleetTest, TheStationsPassAtmLowUsagesFloorMinutesAfterMidnight) {
  // AtmLowUsage waits for 20 expected transactions: the stations' usual
  // reaches that within 3 minutes of local midnight, even four weeks back.
  const DemoFleet fleet(20, 1, kStart);
  const std::int64_t midnight_27_days_back = kStart - 20 * kHourMs - 30 * kMinuteMs - 27 * kDayMs;
  EXPECT_GE(fleet.RatePerMs(fleet.low_usage_atm(), midnight_27_days_back) * 3 * kMinuteMs, 20);
}

TEST(DemoFleetTest, TheMaintenanceAtmReportsMaintenanceFiveHoursBeforeTheStart) {
  DemoFleet fleet(20, 1, kStart);
  const std::string atm = fleet.fleet().atms()[fleet.maintenance_atm()].id;
  const auto events = EventsBetween(fleet, kStart - 6 * kHourMs, kStart);
  int statuses = 0;
  for (const auto& event : events) {
    if (!event.has_status() || event.status().atm_id() != atm || event.status().heartbeat()) {
      continue;
    }
    ++statuses;
    EXPECT_EQ(event.status().state(), v1::AtmStatus::MAINTENANCE);
    EXPECT_EQ(event.time_unix_ms(), kStart - 5 * kHourMs);
  }
  EXPECT_EQ(statuses, 1);
  EXPECT_EQ(TransactionsOf(EventsBetween(fleet, kStart - 4 * kHourMs, kStart), atm), 0);
}

TEST(DemoFleetTest, TheFlappingLineDropsEveryThirtySeconds) {
  DemoFleet fleet(20, 1, kStart);
  const std::string line = fleet.fleet().atms()[fleet.flapping_atm()].line_id;
  const auto events = EventsBetween(fleet, kStart - 10 * kMinuteMs, kStart);
  int detaches = 0;
  int starts = 0;
  for (const auto& event : events) {
    if (!event.has_line() || event.line().line_id() != line) continue;
    detaches += event.line().kind() == v1::LineEvent::DETACH;
    starts += event.line().kind() == v1::LineEvent::SESSION_START;
    EXPECT_NE(event.line().kind(), v1::LineEvent::SESSION_INTERIM);
  }
  EXPECT_EQ(detaches, 20);
  EXPECT_EQ(starts, 20);
}

TEST(DemoFleetTest, EachIntervalsEventsAreInTimeOrder) {
  DemoFleet fleet(20, 1, kStart);
  std::vector<v1::Envelope> events;
  fleet.AppendEvents(kStart - kHourMs, kStart, &events);
  ASSERT_FALSE(events.empty());
  for (std::size_t i = 1; i < events.size(); ++i) {
    ASSERT_LE(events[i - 1].time_unix_ms(), events[i].time_unix_ms());
  }
}

TEST(DemoFleetTest, NamesEachMisbehavingAtmWithItsAlerts) {
  const DemoFleet fleet(20, 1, kStart);
  const auto incidents = fleet.Incidents();
  ASSERT_EQ(incidents.size(), 6u);
  EXPECT_EQ(incidents[0].rfind("ATM0003 (Station", 0), 0u) << incidents[0];
  EXPECT_NE(incidents[0].find("-> AtmSilent, AtmLowUsage"), std::string::npos);
  EXPECT_NE(incidents[1].find("ATM0007"), std::string::npos);
  EXPECT_NE(incidents[1].find("-> AtmLowUsage"), std::string::npos);
  EXPECT_NE(incidents[2].find("-> MvnoLineFlapping"), std::string::npos);
  EXPECT_NE(incidents[3].find("in maintenance since 15:30 JST -> AtmMaintenanceTooLong, "
                              "AtmSupervisorModeTooLong"),
            std::string::npos);
  EXPECT_EQ(incidents[4].rfind("ATM0004 (", 0), 0u) << incidents[4];
  EXPECT_NE(incidents[4].find("dispenser fatal since 20:10 JST, no transaction -> "
                              "AtmComponentFatal, AtmDown"),
            std::string::npos)
      << incidents[4];
  EXPECT_NE(incidents[5].find("ATM0008"), std::string::npos);
  EXPECT_NE(incidents[5].find("last visit (2026-12-03 09:00 JST) -> AtmCashOutBeforeVisit"),
            std::string::npos)
      << incidents[5];
}

// Fatal from 20 minutes before the start, said at once and by every
// heartbeat after; the other ATMs report every device working.
TEST(DemoFleetTest, TheDispenserAtmReportsItsDispenserFatal) {
  DemoFleet fleet(20, 1, kStart);
  const std::string atm = fleet.fleet().atms()[fleet.dispenser_atm()].id;
  const auto events = EventsBetween(fleet, kStart - kHourMs, kStart);
  int fatal_reports = 0;
  for (const auto& event : events) {
    if (!event.has_status()) continue;
    for (const auto& component : event.status().components()) {
      const bool fatal = component.severity() == v1::AtmStatus::Component::FATAL;
      const bool failed = event.status().atm_id() == atm &&
                          component.kind() == v1::AtmStatus::Component::DISPENSER &&
                          event.time_unix_ms() >= kStart - 20 * kMinuteMs;
      EXPECT_EQ(fatal, failed) << event.ShortDebugString();
      fatal_reports += fatal;
    }
  }
  EXPECT_EQ(fatal_reports, 1 + 20 / 4);
  EXPECT_GT(TransactionsOf(EventsBetween(fleet, kStart - kHourMs, kStart - 20 * kMinuteMs), atm),
            0);
  EXPECT_EQ(TransactionsOf(EventsBetween(fleet, kStart - 20 * kMinuteMs, kStart), atm), 0);
}

// One card every 3 hours per ATM: seen on the dashboard, never three in an hour.
TEST(DemoFleetTest, EachAtmKeepsACardEveryThreeHours) {
  DemoFleet fleet(20, 1, kStart);
  std::map<std::string, std::vector<std::int64_t>> cards;
  for (const auto& event : EventsBetween(fleet, kStart - kDayMs, kStart)) {
    if (event.has_card_retained()) {
      cards[event.card_retained().atm_id()].push_back(event.time_unix_ms());
    }
  }
  ASSERT_EQ(cards.size(), 20u);
  for (const auto& [atm, times] : cards) {
    EXPECT_EQ(times.size(), 8u) << atm;
    for (std::size_t i = 1; i < times.size(); ++i) {
      EXPECT_EQ(times[i] - times[i - 1], 3 * kHourMs) << atm;
    }
  }
}

// Cash events of the day of `visit` (a day's events from local midnight).
std::vector<v1::Envelope> CashEventsOfDay(DemoFleet& fleet, std::int64_t midnight) {
  std::vector<v1::Envelope> events;
  fleet.AppendEvents(midnight, midnight + kDayMs, &events);
  std::erase_if(events, [](const v1::Envelope& event) { return !event.has_cash(); });
  return events;
}

std::int64_t LoadedYen(const v1::CashEvent& cash) {
  std::int64_t yen = 0;
  for (const auto& cassette : cash.cassettes()) {
    yen += std::int64_t{cassette.denomination_yen()} * cassette.notes();
  }
  return yen;
}

TEST(DemoFleetTest, VisitsMondaysAndThursdaysAtNineAndCountsWhatItLoaded) {
  const engine::Calendar calendar;
  config::DaemonConfig parsed;
  DemoFleet fleet(20, 1, kStart);
  ASSERT_TRUE(config::ParseConfig(fleet.ConfigYaml(), "demo.yaml", &parsed).ok());
  ASSERT_NE(parsed.cash.For("anywhere"), nullptr);
  EXPECT_EQ(parsed.cash.For("anywhere")->weekdays, (1 << 1) | (1 << 4));
  EXPECT_EQ(parsed.cash.For("anywhere")->minute_of_day, 9 * 60);

  // 2026-11-30 was a Monday: a visit per ATM, then its count; none on Tuesday.
  const std::int64_t monday =
      calendar.LocalMidnightUnixMs(engine::DayNumberOf(std::chrono::year(2026) / 11 / 30));
  const std::vector<v1::Envelope> visits = CashEventsOfDay(fleet, monday);
  ASSERT_EQ(visits.size(), 2u * 20);
  for (std::size_t i = 0; i < visits.size(); i += 2) {
    const v1::CashEvent& loaded = visits[i].cash();
    const v1::CashEvent& counted = visits[i + 1].cash();
    EXPECT_EQ(visits[i].time_unix_ms(), monday + 9 * kHourMs);
    EXPECT_EQ(loaded.kind(), v1::CashEvent::REPLENISHMENT);
    EXPECT_EQ(loaded.cost_yen(), 15000);
    EXPECT_EQ(counted.kind(), v1::CashEvent::COUNT);
    EXPECT_EQ(counted.atm_id(), loaded.atm_id());
    EXPECT_EQ(visits[i + 1].time_unix_ms(), visits[i].time_unix_ms());
    EXPECT_EQ(LoadedYen(counted), LoadedYen(loaded));
    EXPECT_GT(LoadedYen(loaded), 0);
  }
  EXPECT_TRUE(CashEventsOfDay(fleet, monday + kDayMs).empty());
}

TEST(DemoFleetTest, TheCashShortAtmIsLoadedForAQuarterOfADayAtItsLastVisit) {
  const engine::Calendar calendar;
  DemoFleet fleet(20, 1, kStart);
  const std::string short_atm = fleet.fleet().atms()[fleet.cash_short_atm()].id;
  const std::int64_t thursday =
      calendar.LocalMidnightUnixMs(engine::DayNumberOf(std::chrono::year(2026) / 12 / 3));
  const auto LoadOf = [&](std::int64_t midnight) {
    std::int64_t yen = 0;
    for (const v1::Envelope& event : CashEventsOfDay(fleet, midnight)) {
      if (event.cash().atm_id() == short_atm &&
          event.cash().kind() == v1::CashEvent::REPLENISHMENT) {
        yen = LoadedYen(event.cash());
      }
    }
    return yen;
  };
  const std::int64_t usual = LoadOf(thursday - 3 * kDayMs);  // Monday's
  const std::int64_t light = LoadOf(thursday);
  EXPECT_NEAR(static_cast<double>(light), static_cast<double>(usual) / 20, 20000);
}

TEST(DemoFleetTest, NeedsEightAtms) {
  EXPECT_THROW(DemoFleet(7, 1, kStart), std::invalid_argument);
}

}  // namespace
}  // namespace atmwatch::cli
