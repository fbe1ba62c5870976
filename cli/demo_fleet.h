#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "atmwatch/v1/events.pb.h"
#include "cli/live_fleet.h"
#include "engine/breakeven.h"
#include "engine/calendar.h"

namespace atmwatch::cli {

// The fleet `atmwatch sim --scenario demo` runs: LiveFleet's ATMs with four
// weeks of history behind them, a cost model calibrated on the reference
// network, and six ATMs that misbehave on purpose, so that a fresh daemon
// shows baselines, breakeven figures and alerts within minutes.
//
// Usage per ATM follows LiveFleet's hour-of-week shape (parlors: evenings
// and weekends) with a floor of a few an hour at night, except at two
// 24-hour station ATMs with an even day; it
// grows week over week as the reference network's revenue did from 3Q09 to
// 4Q09. The fleet is far busier than a real one (thousands of transactions
// per ATM a day): AtmLowUsage judges an ATM only once 20 transactions are
// expected by the time of day, and the stations reach that within minutes of
// local midnight, so the demo's alerts fire whenever it is run.
//
// The misbehaviour, timed from `start_unix_ms`:
// - silent: a station with no transaction since the local day began (or 3
//   hours before the start, if that is earlier), still up: AtmSilent, and
//   AtmLowUsage since today is 0;
// - low usage: the other station at a tenth of its usual since the same
//   moment: AtmLowUsage;
// - flapping line: from 10 minutes before the start its line drops for 10 s
//   every 30 s: MvnoLineFlapping;
// - maintenance: in maintenance since 5 hours before the start:
//   AtmMaintenanceTooLong and AtmSupervisorModeTooLong;
// - dispenser: its dispenser reports fatal from 20 minutes before the start
//   and it does no transaction since, so it is down: AtmComponentFatal, and
//   AtmDown, which Alertmanager holds back for the failed part;
// - cash short: loaded for a quarter of a day at its last visit before the
//   start, so it runs dry before the next: AtmCashOutBeforeVisit.
// Every heartbeat reports the ATM's devices (all working but that
// dispenser), and each ATM keeps a customer's card every 3 hours, too
// rarely for AtmCardsRetained.
//
// Cash: every ATM is visited on Mondays and Thursdays at 09:00 local (the
// config's `cash:`), loaded with 10,000-yen notes for five days of its
// usual transactions at 20,000 yen each (more than it dispenses), and
// counts what was loaded at once, so its position is known and its counts
// agree.
//
// Deterministic for a seed and a start time. Not thread-safe.
class DemoFleet {
 public:
  static constexpr int kMinAtms = 8;
  static constexpr int kHistoryDays = 28;

  // Throws std::invalid_argument when atms < kMinAtms.
  DemoFleet(int atms, std::uint64_t seed, std::int64_t start_unix_ms);

  const LiveFleet& fleet() const { return fleet_; }
  std::int64_t history_start_unix_ms() const;

  // The reference network's last quarter scaled to this fleet (see
  // demo_fleet.cc): revenue covers the same share of costs as it did then.
  engine::CostModel Costs() const;
  // atmwatchd's config for the demo: timezone, round-the-clock business
  // hours, the costs above, a plan, the cash visits and the inventory.
  std::string ConfigYaml() const;
  // One line per misbehaving ATM: what it does and the alerts it raises,
  // "ATM0003 ...: ... -> AtmSilent, AtmLowUsage".
  std::vector<std::string> Incidents() const;

  // Appends the fleet's events with times in [from_unix_ms, to_unix_ms):
  // transactions, a heartbeat and a line update per ATM every 4 minutes, the
  // flapping line's changes, the maintenance status, the failed dispenser's
  // reports, the cards retained and the cash visits. Call with adjacent
  // intervals in time order.
  void AppendEvents(std::int64_t from_unix_ms, std::int64_t to_unix_ms,
                    std::vector<v1::Envelope>* out);

  // Transactions the ATM does per millisecond at a time, misbehaviour included.
  double RatePerMs(std::size_t atm, std::int64_t time_unix_ms) const;

  std::size_t silent_atm() const { return 2; }       // ATM0003
  std::size_t dispenser_atm() const { return 3; }    // ATM0004
  std::size_t flapping_atm() const { return 4; }     // ATM0005
  std::size_t maintenance_atm() const { return 5; }  // ATM0006
  std::size_t low_usage_atm() const { return 6; }    // ATM0007
  std::size_t cash_short_atm() const { return 7; }   // ATM0008

 private:
  bool IsStation(std::size_t atm) const;
  // The config's `plan:` section, for the costs of Costs().
  std::string PlanYaml(const engine::CostModel& costs) const;
  std::string SiteOf(std::size_t atm) const;
  // Transactions an hour at a local weekday (0 = Sunday) and hour, as usual:
  // no growth, no misbehaviour.
  double UsualHourly(std::size_t atm, int weekday, int hour) const;
  void AppendLine(std::size_t atm, std::int64_t time_unix_ms, std::vector<v1::Envelope>* out);
  // The ATM's heartbeat, with the failed dispenser once it failed.
  v1::Envelope HeartbeatOf(std::size_t atm, std::int64_t time_unix_ms) const;
  void AppendCardsRetained(std::int64_t from_unix_ms, std::int64_t to_unix_ms,
                           std::vector<v1::Envelope>* out) const;
  // A cash-in-transit visit at `time_unix_ms`: the replenishment and the
  // ATM's count of it.
  void AppendVisit(std::size_t atm, std::int64_t time_unix_ms,
                   std::vector<v1::Envelope>* out) const;

  LiveFleet fleet_;
  engine::Calendar calendar_;  // Japan time, as the simulated usage and the demo's config
  std::int64_t start_unix_ms_;
  std::int64_t incident_start_unix_ms_;  // the silent and low-usage ATMs
  std::int64_t last_visit_unix_ms_;      // the last cash visit before the start
  std::vector<double> daily_transactions_;
  std::mt19937_64 rng_;
  std::uint64_t flap_sessions_ = 0;
};

}  // namespace atmwatch::cli
