#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "atmwatch/v1/events.pb.h"

namespace atmwatch::cli {

// One simulated terminal: where it stands and how popular it is.
struct SimulatedAtm {
  std::string id;      // ATM0001, ATM0002, ...
  std::string site;    // "Parlor Shinjuku 3"
  std::string region;  // kanto, kansai, ...
  std::string line_id;
  std::string carrier;
  double popularity;  // relative share of the fleet's transactions
};

// A present-day fleet of ATMs in parlors and shops producing plausible
// transactions: busy evenings and weekends, a spread of popularity between
// ATMs, mostly approved withdrawals of round amounts, some declines, a few
// host errors and reversals. Deterministic for a seed. Not thread-safe.
class LiveFleet {
 public:
  LiveFleet(int atms, std::uint64_t seed);

  const std::vector<SimulatedAtm>& atms() const { return atms_; }

  // The mix of transactions: withdrawals, and of them the share approved and
  // the share reversed later. An approved withdrawal earns its fee, a
  // reversed one gives it back.
  static constexpr double kWithdrawalShare = 0.85;
  static constexpr double kApprovedShare = 0.93;
  static constexpr double kReversedShare = 0.003;

  // One transaction at time_unix_ms (UTC); the ATM is drawn by popularity.
  v1::Envelope NextTransaction(std::int64_t time_unix_ms);
  // One transaction of the ATM at index `atm`.
  v1::Envelope TransactionAt(std::size_t atm, std::int64_t time_unix_ms);
  // A heartbeat that reports the devices and the four cassettes working.
  v1::Envelope Heartbeat(const SimulatedAtm& atm, std::int64_t time_unix_ms) const;

  // The ATM's mobile data session as the carrier's accounting reports it:
  // SESSION_START the first time, then SESSION_INTERIM with the session's
  // cumulative bytes, which grow with each call.
  v1::Envelope LineSession(std::size_t atm, std::int64_t time_unix_ms);

  // Relative busyness at a Japan-local hour of the week (1.0 = average);
  // parlors open 10:00–23:00 and peak in the evening and at weekends.
  static double HourShape(int weekday, int hour);

  // The inventory as atmwatchd's config YAML (the `atms:` key).
  std::string InventoryYaml() const;

 private:
  std::mt19937_64 rng_;
  std::vector<SimulatedAtm> atms_;
  std::discrete_distribution<int> pick_atm_;
  std::vector<std::uint64_t> session_bytes_;  // by ATM; 0 = no session yet
  std::string session_tag_;                   // distinguishes this run's sessions
};

}  // namespace atmwatch::cli
