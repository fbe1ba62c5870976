#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "atmwatch/v1/events.pb.h"
#include "engine/authorization_health.h"
#include "engine/availability.h"
#include "engine/breakeven.h"
#include "engine/calendar.h"
#include "engine/cash_position.h"
#include "engine/cash_visits.h"
#include "engine/daily_usage.h"
#include "engine/device_health.h"
#include "engine/fee_schedule.h"
#include "engine/fleet.h"
#include "engine/hours_table.h"
#include "engine/ledger.h"
#include "engine/line_table.h"
#include "engine/plan.h"

namespace atmwatch::engine {

// Transactions of one ATM by type and result, indexed by the proto enum values.
using TransactionCounts = std::array<std::array<std::uint64_t, 5>, 5>;

// The lifetime figures of one ATM: exact counters for /metrics (the per-day
// aggregates live in DailyUsage).
struct AtmCounters {
  TransactionCounts transactions{};
  // Commission credited, and taken back by reversals (a positive sum), so
  // both stay monotonic counters; the net is their difference.
  int64_t commission_earned_yen = 0;
  int64_t commission_reversed_yen = 0;
  // Newest event times seen (a late event does not move them back); 0 = none.
  int64_t last_transaction_unix_ms = 0;
  int64_t last_status_unix_ms = 0;
  // Reported state and business seconds up per local day (availability.h).
  AtmAvailability availability;
};

// What the engine computes with besides the events. Changing it (reload)
// affects events applied afterwards; aggregates already made are kept.
struct EngineConfig {
  std::vector<InventoryEntry> inventory;
  std::size_t max_unknown_atms = 1000;
  Calendar calendar;
  FeeSchedule fees;
  CostModel costs;
  // MVNO lines: flap window, interim interval, line cap.
  LineTableOptions lines;
  // The default business hours, and those of sites (an inventory ATM's own
  // hours win over its site's).
  BusinessHours business_hours;
  std::map<std::string, BusinessHours> site_hours;
  // The share of its ATMs' commission each site is paid (config `sites:`,
  // site_share, 0..1); a site not named here has none.
  std::map<std::string, double> site_shares;
  // An ATM with no heartbeat, status or transaction for longer is not up.
  int64_t atm_silence_ms = 5 * 60 * 1000;
  int64_t mvno_lines_target = 0;  // 0 = no target
  Plan plan{};
  // When each region's ATMs get cash (config `cash:`).
  CashVisits cash_visits;
};

// What a metrics collector sees of one ATM while the engine is read-locked.
struct AtmView {
  const std::string& id;
  const InventoryEntry* inventory;  // nullptr for an ATM not in the inventory
  const TransactionCounts& transactions;
};

// Everything the engine holds, consistent while the engine is read-locked.
// Per-ATM vectors are indexed by AtmIndex and have fleet.size() entries.
struct EngineView {
  const Fleet& fleet;
  const std::vector<AtmCounters>& atms;
  // Each ATM's cash in its cassettes and cash counters, by AtmIndex.
  const std::vector<CashPosition>& cash;
  // Each ATM's reported components and cards retained, by AtmIndex.
  const std::vector<DeviceHealth>& devices;
  const DailyUsage& usage;
  const Ledger& ledger;
  const AuthorizationHealth& authorization;
  const Calendar& calendar;
  const FeeSchedule& fees;
  const CostModel& costs;
  const LineTable& lines;
  // Each inventory ATM's bound line record, by AtmIndex; shorter than the
  // fleet when ATMs outside the inventory came since.
  const std::vector<const LineRecord*>& line_of_atm;
  const HoursTable& hours;                           // each ATM's business hours
  const std::map<std::string, double>& site_shares;  // EngineConfig::site_shares
  int64_t atm_silence_ms;
  int64_t mvno_lines_target;
  const Plan& plan;
  const CashVisits& cash_visits;

  BusinessRecords records() const { return {usage, ledger, calendar, costs}; }

  // The ATM's bound line (inventory line_id), or nullptr when it has none.
  const std::string* LineOf(AtmIndex atm) const;
  // Whether a line is up: in a data session, not stale (attached is down).
  static bool LineUp(const LineView& line);
  // atmwatch_atm_up at `now_ms`: the state serves, no reported component
  // stops withdrawals, the bound line is up and a sign of life came within
  // atm_silence_ms.
  bool AtmUp(AtmIndex atm, int64_t now_ms) const;
  // Business seconds the ATM was up on the local day of `now_ms`, so far:
  // the counted record plus the open stretch since its last event.
  int64_t AvailableSecondsToday(AtmIndex atm, int64_t now_ms) const;
  // Where the ATM's current up stretch starting at `from_ms` ends (from_ms
  // itself when it is not up), from the state as it is now.
  int64_t UpUntil(AtmIndex atm, int64_t from_ms) const;

  // The ATM's line as of `now_ms`, from its kept record rather than a
  // lookup in a table of hundreds of thousands of lines (a few cache misses
  // each, for every transaction and three times per ATM in a scrape).
  struct AtmLine {
    const std::string* line_id = nullptr;  // nullptr: the inventory names none
    LineView line;                         // with a line_id: its state (always bound)
  };
  AtmLine LineOfAtm(AtmIndex atm, int64_t now_ms) const;
  bool AtmUp(AtmIndex atm, int64_t now_ms, const AtmLine& line) const;
  int64_t AvailableSecondsToday(AtmIndex atm, int64_t now_ms, const AtmLine& line) const;
  int64_t UpUntil(AtmIndex atm, int64_t from_ms, const AtmLine& line) const;
  // Where each availability's good stretch starting at `from_ms` ends.
  AvailableUntil GoodUntil(AtmIndex atm, int64_t from_ms, const AtmLine& line) const;

  // The lifetime counters as of `now_ms`: the counted record plus the open
  // stretch since the ATM's last event (which a later event may shorten).
  struct Totals {
    int64_t business_seconds = 0;
    std::array<int64_t, kAvailabilityCount> available_seconds{};
  };
  Totals TotalsAt(AtmIndex atm, int64_t now_ms, const AtmLine& line) const;
};

// The aggregates the daemon owns, fed one validated event at a time on the
// group commit's apply thread (and by replay at start-up), so Apply is
// deterministic given the events in order and the config.
//
// Thread-safety: Apply, Reconfigure and RestoreState take the write lock;
// readers (Read, ForEachAtm, SerializeState) the read lock and call back
// while holding it, so callbacks must be quick and must not call back into
// the engine.
class Engine {
 public:
  explicit Engine(EngineConfig config);
  // Default calendar, fees and costs.
  Engine(std::vector<InventoryEntry> inventory, std::size_t max_unknown_atms);

  // Applies an event that passed ValidateEvent. Returns the reason it cannot
  // be applied ("unknown_atm_cap", "bad_date"), leaving the aggregates
  // untouched.
  std::optional<std::string_view> Apply(const v1::Envelope& event);
  // Apply for each of a batch's events, in order, under one lock:
  // refusals[i] receives what Apply(*events[i]) would return.
  void ApplyAll(std::span<const v1::Envelope* const> events,
                std::span<std::optional<std::string_view>> refusals);

  // Config reload: inventory, unknown cap, calendar, fees and costs.
  void Reconfigure(EngineConfig config);

  void ForEachAtm(const std::function<void(const AtmView&)>& visit) const;
  void Read(const std::function<void(const EngineView&)>& read) const;

  // The aggregates as bytes for a snapshot, and back. Restore replaces the
  // current aggregates; ATMs of the snapshot that are no longer in the
  // inventory come back as unknown ones, past the unknown cap if need be,
  // since their history is real. False when the bytes do not parse.
  std::string SerializeState() const;
  bool RestoreState(std::string_view bytes);
  std::size_t unknown_atms() const;

 private:
  // The event's ATM index, adding an unknown ATM within the cap; a sentinel
  // for events about no ATM and for ATMs past the cap (engine.cc).
  AtmIndex ResolveLocked(const v1::Envelope& event);
  std::optional<std::string_view> ApplyLocked(const v1::Envelope& event, AtmIndex atm);
  std::optional<std::string_view> ApplyTransaction(const v1::AtmTransaction& tx,
                                                   int64_t time_unix_ms, AtmIndex atm);
  std::optional<std::string_view> ApplyStatus(const v1::AtmStatus& status, int64_t time_unix_ms,
                                              AtmIndex atm);
  void PrefetchRecords(AtmIndex atm) const;
  void PrefetchPointees(const v1::Envelope& event, AtmIndex atm) const;
  std::optional<std::string_view> ApplyCash(const v1::CashEvent& cash, int64_t time_unix_ms,
                                            AtmIndex atm);
  std::optional<std::string_view> ApplyCardRetained(const v1::CardRetained& card, AtmIndex atm);
  std::optional<std::string_view> ApplyLedger(const v1::LedgerEntry& entry);
  std::optional<std::string_view> ApplyLine(const v1::LineEvent& line, int64_t time_unix_ms);
  void FitToFleet();
  // Counts availability of `atm` up to `time_unix_ms` with the state before
  // the event at that time is applied.
  void Advance(AtmIndex atm, int64_t time_unix_ms);
  // Binds the inventory's lines in the line table (and unbinds the others).
  void BindInventory();
  EngineView ViewLocked() const;

  mutable std::shared_mutex mutex_;
  Fleet fleet_;
  Calendar calendar_;
  FeeSchedule fees_;
  CostModel costs_;
  std::vector<AtmCounters> atms_;  // by AtmIndex
  // By AtmIndex, apart from atms_: most ATMs of a fleet never send cash
  // events, and a withdrawal looks only at the dense known-position flags
  // (a few kB, always in cache) before it touches a position.
  std::vector<CashPosition> cash_;
  std::vector<uint8_t> cash_known_;
  // By AtmIndex, apart from atms_ for the same reason: only statuses with
  // components and retained cards touch it.
  std::vector<DeviceHealth> devices_;
  DailyUsage usage_;
  Ledger ledger_;
  AuthorizationHealth authorization_;
  LineTable lines_;
  std::unordered_map<std::string, std::vector<AtmIndex>> atms_by_line_;  // inventory bindings
  std::vector<const LineRecord*> line_of_atm_;  // by AtmIndex; nullptr: the inventory names none
  HoursTable hours_;
  std::map<std::string, double> site_shares_;
  int64_t atm_silence_ms_;
  int64_t mvno_lines_target_;
  Plan plan_;
  CashVisits cash_visits_;
  std::vector<AtmIndex> resolved_;  // ApplyAll's scratch: the ATM of each event
};

}  // namespace atmwatch::engine
