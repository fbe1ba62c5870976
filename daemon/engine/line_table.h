#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "atmwatch/v1/events.pb.h"
#include "engine/line_activations.h"
#include "events/terminate_cause.h"

// The MVNO lines: a state machine per line driven by LineEvents, and the
// per-carrier totals the metrics export. Pure logic, no I/O, no clock: every
// time comes from the events or the caller.
//
// States: detached -> attached -> in session. SESSION_START and
// SESSION_INTERIM put a line in session, SESSION_STOP back to attached,
// ATTACH lifts a detached line to attached, DETACH drops it to detached
// (ending an open session).
//
// Bytes come from the cumulative counters of a session: each event adds the
// increase over the last applied counter of the same session; a new session
// starts from zero; a counter that went down in a later event was reset and
// counts from zero again. No event ever subtracts.
//
// Session ends are counted per carrier by terminate cause (terminate_cause.h):
// a SESSION_STOP by the cause it names, a session ended by DETACH or by the
// start of the next one as kUnknown, so they add up to sessions_stopped.
//
// Signal: each applied event that carries signal_dbm sets the line's last
// reading; events without one keep it.
//
// Order: an event older than the last applied event of its line, an event of
// the session before the current one, or an event of a stopped session is
// ignored (kIgnoredStale); an exact repeat of the last applied event is
// ignored (kIgnoredDuplicate); an event without a line id, kind or (for the
// SESSION_ kinds) session id changes nothing (kIgnoredInvalid). So retries and late deliveries
// never move a counter backwards or count it twice.
//
// A flap is a state change within flap_window of the line's previous one.
// A session is stale when its line has had no event for more than twice the
// interim interval (resolved to the second).
//
// Memory: one compact LineRecord per line (64 bytes plus the line id in a
// hash map); carriers are interned to a 16-bit index, capped. Lines bound to
// an ATM are also listed apart, so per-line series walk only those.
//
// Not thread-safe: the engine serialises access.
namespace atmwatch::engine {

enum class LineState : std::uint8_t { kDetached = 0, kAttached = 1, kInSession = 2 };
inline constexpr std::size_t kLineStateCount = 3;
std::string_view LineStateName(LineState state);  // "detached", "attached", "in_session"

struct LineTableOptions {
  std::chrono::milliseconds flap_window = std::chrono::minutes(10);
  std::chrono::milliseconds interim_interval = std::chrono::minutes(5);
  // Carriers beyond this many are counted as "other", so labels stay bounded.
  std::size_t max_carriers = 256;
  // Events of a new line are refused (kIgnoredCap) once the table holds this
  // many lines, so memory stays bounded; bound lines are always taken.
  std::size_t max_lines = 500000;
  // Local days of the activations record (line_activations.h).
  std::chrono::minutes utc_offset = Calendar::kDefaultUtcOffset;
};

// One LineEvent as plain values.
struct LineObservation {
  std::string_view line_id;
  std::string_view carrier;  // empty: keep the line's carrier
  v1::LineEvent::Kind kind = v1::LineEvent::KIND_UNSPECIFIED;
  std::string_view session_id;
  std::uint64_t bytes_in = 0;  // cumulative in the session
  std::uint64_t bytes_out = 0;
  std::int64_t time_unix_ms = 0;
  std::string_view terminate_cause;  // SESSION_STOP: RFC 2866 name; empty when none
  std::optional<std::int32_t> signal_dbm;
};

enum class LineApply : std::uint8_t {
  kApplied,
  kIgnoredStale,
  kIgnoredDuplicate,
  kIgnoredInvalid,
  kIgnoredCap,
};

// The state of one line as the metrics see it.
struct LineView {
  LineState state = LineState::kDetached;
  std::string_view carrier;
  bool bound = false;
  bool stale = false;  // in session and silent too long
  std::optional<std::int64_t> last_seen_unix_ms;
  std::uint32_t flaps = 0;
  std::uint64_t session_bytes_in = 0;  // cumulative in the current session
  std::uint64_t session_bytes_out = 0;
  std::optional<std::int16_t> signal_dbm;  // the last reading, if any
};

struct CarrierTotals {
  std::string_view carrier;
  std::uint64_t lines[kLineStateCount] = {};  // by LineState
  std::uint64_t stale_sessions = 0;
  std::uint64_t bytes_in = 0;  // received by the lines
  std::uint64_t bytes_out = 0;
  std::uint64_t sessions_started = 0;
  std::uint64_t sessions_stopped = 0;
  std::uint64_t flaps = 0;
  std::uint64_t session_ends[events::kTerminateCauseCount] = {};  // by TerminateCause
};

// Counts of what Apply ignored, for the daemon's own metrics.
struct LineTableCounters {
  std::uint64_t applied = 0;
  std::uint64_t ignored_stale = 0;
  std::uint64_t ignored_duplicate = 0;
  std::uint64_t ignored_invalid = 0;
  std::uint64_t ignored_cap = 0;  // a new line beyond max_lines
};

// Per line; kept small because an MVNO has hundreds of thousands of lines.
struct LineRecord {
  static constexpr std::int64_t kNever = INT64_MIN;
  static constexpr std::int16_t kNoSignal = INT16_MIN;
  std::uint64_t session = 0;           // hash of the current session id; 0 = none
  std::uint64_t previous_session = 0;  // the one before, so its late events are ignored
  std::uint64_t session_bytes_in = 0;
  std::uint64_t session_bytes_out = 0;
  std::int64_t last_event_ms = kNever;
  std::int64_t last_change_ms = kNever;
  std::uint32_t flaps = 0;
  std::uint16_t carrier = 0;
  std::int16_t signal_dbm = kNoSignal;  // last reading; dBm fits 16 bits
  LineState state = LineState::kDetached;
  std::uint8_t last_kind = 0;
  bool session_stopped = false;
  bool bound = false;
};

class LineTableState;

class LineTable {
 public:
  explicit LineTable(LineTableOptions options = {});

  // Config reload: flap window, interim interval and line cap apply from now
  // on (the carrier cap stays as constructed).
  void SetOptions(LineTableOptions options);
  const LineTableOptions& options() const { return options_; }

  LineApply Apply(const LineObservation& event);
  LineApply Apply(const v1::LineEvent& event, std::int64_t time_unix_ms);

  // Marks a line as the one an ATM talks over (from the inventory), creating
  // it as detached when no event named it yet. Only bound lines get per-line
  // series. The record stays where it is until Restore (lines are never
  // dropped), so the engine keeps it per ATM instead of looking it up.
  const LineRecord& Bind(std::string_view line_id, std::string_view carrier);
  void Unbind(std::string_view line_id);
  const std::set<std::string, std::less<>>& bound_lines() const { return bound_; }

  std::optional<LineView> Find(std::string_view line_id, std::int64_t now_unix_ms) const;
  LineView ViewOf(const LineRecord& line, std::int64_t now_unix_ms) const;
  // One entry per carrier seen, in order of first appearance.
  std::vector<CarrierTotals> Totals(std::int64_t now_unix_ms) const;

  std::size_t size() const { return lines_.size(); }
  const LineTableCounters& counters() const { return counters_; }
  const LineActivations& activations() const { return activations_; }

  // Snapshots: everything but the bindings, which come from the inventory
  // (Bind again after Restore). Save writes the lines sorted by id, so the
  // same table always gives the same bytes. Restore replaces the table.
  void Save(LineTableState* out) const;
  void Restore(const LineTableState& saved);

 private:
  struct Carrier {
    std::string name;
    CarrierTotals totals;
    // In-session lines by the second of their last event: the stale ones
    // are the oldest buckets, counted without walking the lines.
    std::map<std::int64_t, std::uint32_t> in_session_by_second;
  };

  LineRecord& Resolve(std::string_view line_id, std::string_view carrier, bool* created);
  std::uint16_t InternCarrier(std::string_view name);
  void MoveCarrier(LineRecord& line, std::uint16_t carrier);
  void SetState(LineRecord& line, LineState state, std::int64_t time_ms);
  void AddBytes(LineRecord& line, std::uint64_t in, std::uint64_t out, std::int64_t time_ms);
  void StopSession(LineRecord& line, events::TerminateCause cause);
  void ApplySession(LineRecord& line, const LineObservation& event, std::uint64_t session);
  LineApply Classify(const LineRecord& line, const LineObservation& event,
                     std::uint64_t session) const;
  LineApply Count(LineApply result);
  void Unlist(const LineRecord& line);
  void List(const LineRecord& line);
  bool IsStale(const LineRecord& line, std::int64_t now_ms) const;
  std::int64_t StaleBeforeSecond(std::int64_t now_ms) const;

  // Lets the maps be searched with a string_view, without building a
  // std::string per RADIUS event or per ATM at scrape time.
  struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const {
      return std::hash<std::string_view>{}(key);
    }
  };

  LineTableOptions options_;
  std::unordered_map<std::string, LineRecord, TransparentHash, std::equal_to<>> lines_;
  std::vector<Carrier> carriers_;
  std::unordered_map<std::string, std::uint16_t, TransparentHash, std::equal_to<>> carrier_index_;
  std::set<std::string, std::less<>> bound_;
  LineTableCounters counters_;
  LineActivations activations_;
};

}  // namespace atmwatch::engine
