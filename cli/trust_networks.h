#pragma once

// The seed scenario: a history of an ATM network like Trust Networks'
// (data/README.md) from its quarter table, so that atmwatchd's
// quarter report reproduces the table from events.
//
// - Fleet: ATMs are placed through the quarters in proportion to each
//   quarter's cost against the cost of the quarter in which the network
//   reached its full size (136 ATMs by March 2009, the README's fact), each
//   quarter's new ATMs spread evenly over its days.
// - Usage: each quarter's transactions are drawn one by one over (day, ATM,
//   hour) cells weighted by the ATM's popularity (a log-normal spread), the
//   hour-of-week shape of a parlor (busy evenings and weekends, holidays
//   like Sundays) and the day's place on a line through the quarters'
//   levels (revenue per ATM-day, at each quarter's middle day), so usage
//   grows through a quarter as it does from one to the next instead of
//   stepping at its first day; with declines, host errors, balance
//   inquiries, transfers and a few reversals. Every event's commission is what the fee schedule
//   (the daemon's, from --config, or the built-in one) gives it, and drawing
//   stops when the next commission would pass the quarter's revenue, so the
//   commission sum lands within one fee under the CSV; the remainder is
//   booked as OTHER_REVENUE.
// - Ledger: the quarter's cost and expenses as COST and EXPENSE entries, one
//   per month, dated the month's last day, summing exactly to the CSV.
//   Operating income is never sent: the daemon computes it.
// Every hour-level event is kept (no thinning): about 1.4 million events
// for FY2008-FY2009. Deterministic for a seed.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "atmwatch/v1/events.pb.h"
#include "cli/live_fleet.h"
#include "cli/quarter_figures.h"
#include "engine/calendar.h"
#include "engine/fee_schedule.h"

namespace atmwatch::cli {

// One transaction of the plan, compact until it is sent.
struct PlannedTransaction {
  int64_t time_unix_ms = 0;
  int32_t amount_yen = 0;
  uint16_t atm = 0;
  uint8_t type = 0;    // v1::AtmTransaction::Type
  uint8_t result = 0;  // v1::AtmTransaction::Result
  uint8_t issuer = 0;  // index into the issuer list
};

struct QuarterPlan {
  std::vector<PlannedTransaction> transactions;  // in time order
  std::vector<v1::Envelope> ledger;
  int64_t commission_yen = 0;     // what the transactions earn under the fee schedule
  int64_t other_revenue_yen = 0;  // revenue - commission
};

class TrustNetworksHistory {
 public:
  static constexpr int kFleetSize = 136;

  // `calendar` and `fees` must be the daemon's, or revenue will not match.
  TrustNetworksHistory(std::vector<QuarterFigures> quarters, engine::Calendar calendar,
                       engine::FeeSchedule fees, std::uint64_t seed);

  const std::vector<QuarterFigures>& quarters() const { return quarters_; }
  // ATMs in service at the end of quarter `index`.
  int FleetAtEnd(std::size_t index) const { return fleet_at_end_[index]; }

  // The inventory as atmwatchd config YAML (the `atms:` key), installed
  // dates included.
  std::string InventoryYaml() const;

  // The plan of quarter `index`; the same for the same seed, whatever was
  // planned before.
  QuarterPlan PlanQuarter(std::size_t index) const;

  v1::Envelope ToEnvelope(const PlannedTransaction& planned) const;

 private:
  void PlanFleet();
  void PlanUsageLevels();
  // The weight of `day` of quarter `index` against the quarter's average.
  double DayWeight(std::size_t index, int64_t day) const;
  int64_t CommissionOf(const PlannedTransaction& planned, v1::AtmTransaction& scratch) const;
  std::vector<v1::Envelope> LedgerEntries(const QuarterFigures& quarter,
                                          int64_t other_revenue_yen) const;

  std::vector<QuarterFigures> quarters_;
  engine::Calendar calendar_;
  engine::FeeSchedule fees_;
  std::uint64_t seed_;
  LiveFleet identities_;            // ids, sites, lines and popularity
  std::vector<int> fleet_at_end_;   // by quarter
  std::vector<int64_t> installed_;  // local day number, by ATM
  std::vector<double> level_;       // revenue per ATM-day, by quarter
  std::vector<double> middle_;      // the quarter's middle day
};

}  // namespace atmwatch::cli
