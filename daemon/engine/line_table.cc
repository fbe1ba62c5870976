#include "engine/line_table.h"

#include <algorithm>

#include "engine_state.pb.h"

namespace atmwatch::engine {
namespace {

using events::kTerminateCauseCount;
using events::TerminateCause;
using events::TerminateCauseOf;
using v1::LineEvent;

constexpr std::string_view kUnknownCarrier = "unknown";
constexpr std::string_view kOtherCarrier = "other";

bool IsSessionKind(LineEvent::Kind kind) {
  return kind == LineEvent::SESSION_START || kind == LineEvent::SESSION_INTERIM ||
         kind == LineEvent::SESSION_STOP;
}

// FNV-1a: stable across runs, so a snapshot may one day keep it; 0 is
// reserved for "no session".
std::uint64_t SessionHash(std::string_view session_id) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : session_id) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash == 0 ? 1 : hash;
}

// Anything outside int16 is no real reading; clamped so the sentinel stays free.
std::int16_t SignalOf(std::int32_t dbm) {
  return static_cast<std::int16_t>(
      std::clamp<std::int32_t>(dbm, LineRecord::kNoSignal + 1, INT16_MAX));
}

std::int64_t FloorSecond(std::int64_t ms) { return ms >= 0 ? ms / 1000 : (ms - 999) / 1000; }

// Counters only grow within a session; a lower value in a later event means
// the NAS restarted the counter, so all of it is new.
std::uint64_t Increase(std::uint64_t last, std::uint64_t now, bool later) {
  if (now >= last) return now - last;
  return later ? now : 0;
}

}  // namespace

std::string_view LineStateName(LineState state) {
  switch (state) {
    case LineState::kDetached:
      return "detached";
    case LineState::kAttached:
      return "attached";
    case LineState::kInSession:
      return "in_session";
  }
  return "detached";
}

LineTable::LineTable(LineTableOptions options) : options_(options) {
  if (options_.max_carriers < 2) options_.max_carriers = 2;  // room for "other"
  activations_.SetUtcOffset(options_.utc_offset);
}

void LineTable::SetOptions(LineTableOptions options) {
  options.max_carriers = options_.max_carriers;
  options_ = options;
  activations_.SetUtcOffset(options_.utc_offset);
}

LineApply LineTable::Apply(const v1::LineEvent& event, std::int64_t time_unix_ms) {
  return Apply(
      LineObservation{event.line_id(), event.carrier(), event.kind(), event.session_id(),
                      event.bytes_in(), event.bytes_out(), time_unix_ms, event.terminate_cause(),
                      event.has_signal_dbm() ? std::optional(event.signal_dbm()) : std::nullopt});
}

LineApply LineTable::Apply(const LineObservation& event) {
  const bool session_kind = IsSessionKind(event.kind);
  const bool known_kind =
      session_kind || event.kind == LineEvent::ATTACH || event.kind == LineEvent::DETACH;
  if (event.line_id.empty() || !known_kind || (session_kind && event.session_id.empty())) {
    return Count(LineApply::kIgnoredInvalid);
  }
  if (lines_.size() >= options_.max_lines && !lines_.contains(event.line_id)) {
    return Count(LineApply::kIgnoredCap);
  }
  bool created = false;
  LineRecord& line = Resolve(event.line_id, event.carrier, &created);
  const std::uint64_t session = session_kind ? SessionHash(event.session_id) : 0;
  if (LineApply verdict = Classify(line, event, session); verdict != LineApply::kApplied) {
    return Count(verdict);
  }

  Unlist(line);
  if (!event.carrier.empty()) MoveCarrier(line, InternCarrier(event.carrier));
  switch (event.kind) {
    case LineEvent::ATTACH:
      if (line.state == LineState::kDetached)
        SetState(line, LineState::kAttached, event.time_unix_ms);
      break;
    case LineEvent::DETACH:
      StopSession(line, TerminateCause::kUnknown);
      SetState(line, LineState::kDetached, event.time_unix_ms);
      break;
    default:
      ApplySession(line, event, session);
      break;
  }
  if (event.signal_dbm) line.signal_dbm = SignalOf(*event.signal_dbm);
  line.last_event_ms = event.time_unix_ms;
  line.last_kind = static_cast<std::uint8_t>(event.kind);
  List(line);
  return Count(LineApply::kApplied);
}

LineApply LineTable::Classify(const LineRecord& line, const LineObservation& event,
                              std::uint64_t session) const {
  if (line.last_event_ms == LineRecord::kNever) return LineApply::kApplied;
  if (event.time_unix_ms < line.last_event_ms) return LineApply::kIgnoredStale;
  const bool same_session = session != 0 && session == line.session;
  const bool repeat = event.time_unix_ms == line.last_event_ms &&
                      line.last_kind == static_cast<std::uint8_t>(event.kind) &&
                      (session == 0 || (same_session && event.bytes_in == line.session_bytes_in &&
                                        event.bytes_out == line.session_bytes_out));
  if (repeat) return LineApply::kIgnoredDuplicate;
  if (session != 0 &&
      (session == line.previous_session || (same_session && line.session_stopped))) {
    return LineApply::kIgnoredStale;
  }
  return LineApply::kApplied;
}

LineApply LineTable::Count(LineApply result) {
  switch (result) {
    case LineApply::kApplied:
      ++counters_.applied;
      break;
    case LineApply::kIgnoredStale:
      ++counters_.ignored_stale;
      break;
    case LineApply::kIgnoredDuplicate:
      ++counters_.ignored_duplicate;
      break;
    case LineApply::kIgnoredInvalid:
      ++counters_.ignored_invalid;
      break;
    case LineApply::kIgnoredCap:
      ++counters_.ignored_cap;
      break;
  }
  return result;
}

void LineTable::ApplySession(LineRecord& line, const LineObservation& event,
                             std::uint64_t session) {
  const bool later = event.time_unix_ms > line.last_event_ms;
  if (session != line.session) {
    StopSession(line, TerminateCause::kUnknown);  // a session that never sent its Stop
    line.previous_session = line.session;
    line.session = session;
    line.session_bytes_in = 0;
    line.session_bytes_out = 0;
    line.session_stopped = false;
    ++carriers_[line.carrier].totals.sessions_started;
  }
  CarrierTotals& totals = carriers_[line.carrier].totals;
  totals.bytes_in += Increase(line.session_bytes_in, event.bytes_in, later);
  totals.bytes_out += Increase(line.session_bytes_out, event.bytes_out, later);
  if (event.bytes_in >= line.session_bytes_in || later) line.session_bytes_in = event.bytes_in;
  if (event.bytes_out >= line.session_bytes_out || later) line.session_bytes_out = event.bytes_out;

  if (event.kind == LineEvent::SESSION_STOP) {
    StopSession(line, TerminateCauseOf(event.terminate_cause));
    SetState(line, LineState::kAttached, event.time_unix_ms);
  } else {
    SetState(line, LineState::kInSession, event.time_unix_ms);
  }
}

void LineTable::StopSession(LineRecord& line, TerminateCause cause) {
  if (line.session == 0 || line.session_stopped) return;
  line.session_stopped = true;
  CarrierTotals& totals = carriers_[line.carrier].totals;
  ++totals.sessions_stopped;
  ++totals.session_ends[static_cast<std::size_t>(cause)];
}

void LineTable::SetState(LineRecord& line, LineState state, std::int64_t time_ms) {
  if (line.state == state) return;
  CarrierTotals& totals = carriers_[line.carrier].totals;
  --totals.lines[static_cast<std::size_t>(line.state)];
  ++totals.lines[static_cast<std::size_t>(state)];
  if ((line.state == LineState::kDetached) != (state == LineState::kDetached)) {
    activations_.Record(time_ms, state == LineState::kDetached ? -1 : 1);
  }
  line.state = state;
  if (line.last_change_ms != LineRecord::kNever &&
      time_ms - line.last_change_ms < options_.flap_window.count()) {
    ++line.flaps;
    ++totals.flaps;
  }
  line.last_change_ms = time_ms;
}

LineRecord& LineTable::Resolve(std::string_view line_id, std::string_view carrier, bool* created) {
  auto it = lines_.find(line_id);
  *created = it == lines_.end();
  if (!*created) return it->second;
  LineRecord record;
  record.carrier = InternCarrier(carrier);
  ++carriers_[record.carrier].totals.lines[static_cast<std::size_t>(LineState::kDetached)];
  return lines_.emplace(std::string(line_id), record).first->second;
}

std::uint16_t LineTable::InternCarrier(std::string_view name) {
  if (name.empty()) name = kUnknownCarrier;
  if (auto it = carrier_index_.find(name); it != carrier_index_.end()) {
    return it->second;
  }
  // The last slot is kept for "other", so labels stay bounded whatever
  // senders write.
  if (carriers_.size() + 1 >= options_.max_carriers && name != kOtherCarrier) {
    return InternCarrier(kOtherCarrier);
  }
  const auto index = static_cast<std::uint16_t>(carriers_.size());
  Carrier carrier;
  carrier.name = std::string(name);
  carriers_.push_back(std::move(carrier));
  carrier_index_.emplace(std::string(name), index);
  return index;
}

void LineTable::MoveCarrier(LineRecord& line, std::uint16_t carrier) {
  if (line.carrier == carrier) return;
  const auto state = static_cast<std::size_t>(line.state);
  --carriers_[line.carrier].totals.lines[state];
  ++carriers_[carrier].totals.lines[state];
  line.carrier = carrier;
}

void LineTable::Unlist(const LineRecord& line) {
  if (line.state != LineState::kInSession || line.last_event_ms == LineRecord::kNever) return;
  auto& buckets = carriers_[line.carrier].in_session_by_second;
  auto it = buckets.find(FloorSecond(line.last_event_ms));
  if (it != buckets.end() && --it->second == 0) buckets.erase(it);
}

void LineTable::List(const LineRecord& line) {
  if (line.state != LineState::kInSession || line.last_event_ms == LineRecord::kNever) return;
  ++carriers_[line.carrier].in_session_by_second[FloorSecond(line.last_event_ms)];
}

std::int64_t LineTable::StaleBeforeSecond(std::int64_t now_ms) const {
  return FloorSecond(now_ms - 2 * options_.interim_interval.count());
}

bool LineTable::IsStale(const LineRecord& line, std::int64_t now_ms) const {
  return line.state == LineState::kInSession &&
         FloorSecond(line.last_event_ms) < StaleBeforeSecond(now_ms);
}

const LineRecord& LineTable::Bind(std::string_view line_id, std::string_view carrier) {
  bool created = false;
  LineRecord& line = Resolve(line_id, carrier, &created);
  line.bound = true;
  bound_.emplace(line_id);
  return line;
}

void LineTable::Unbind(std::string_view line_id) {
  auto it = lines_.find(line_id);
  if (it != lines_.end()) it->second.bound = false;
  if (auto bound = bound_.find(line_id); bound != bound_.end()) bound_.erase(bound);
}

std::optional<LineView> LineTable::Find(std::string_view line_id, std::int64_t now_unix_ms) const {
  auto it = lines_.find(line_id);
  if (it == lines_.end()) return std::nullopt;
  return ViewOf(it->second, now_unix_ms);
}

LineView LineTable::ViewOf(const LineRecord& line, std::int64_t now_unix_ms) const {
  LineView view;
  view.state = line.state;
  view.carrier = carriers_[line.carrier].name;
  view.bound = line.bound;
  view.stale = IsStale(line, now_unix_ms);
  if (line.last_event_ms != LineRecord::kNever) view.last_seen_unix_ms = line.last_event_ms;
  view.flaps = line.flaps;
  view.session_bytes_in = line.session_bytes_in;
  view.session_bytes_out = line.session_bytes_out;
  if (line.signal_dbm != LineRecord::kNoSignal) view.signal_dbm = line.signal_dbm;
  return view;
}

std::vector<CarrierTotals> LineTable::Totals(std::int64_t now_unix_ms) const {
  std::vector<CarrierTotals> totals;
  totals.reserve(carriers_.size());
  const std::int64_t stale_before = StaleBeforeSecond(now_unix_ms);
  for (const Carrier& carrier : carriers_) {
    CarrierTotals& out = totals.emplace_back(carrier.totals);
    out.carrier = carrier.name;
    for (auto it = carrier.in_session_by_second.begin();
         it != carrier.in_session_by_second.end() && it->first < stale_before; ++it) {
      out.stale_sessions += it->second;
    }
  }
  return totals;
}

void LineTable::Save(LineTableState* out) const {
  for (const Carrier& carrier : carriers_) {
    CarrierState* saved = out->add_carriers();
    saved->set_name(carrier.name);
    saved->set_bytes_in(carrier.totals.bytes_in);
    saved->set_bytes_out(carrier.totals.bytes_out);
    saved->set_sessions_started(carrier.totals.sessions_started);
    saved->set_sessions_stopped(carrier.totals.sessions_stopped);
    saved->set_flaps(carrier.totals.flaps);
    for (std::uint64_t ends : carrier.totals.session_ends) saved->add_session_ends(ends);
  }
  std::vector<const std::pair<const std::string, LineRecord>*> sorted;
  sorted.reserve(lines_.size());
  for (const auto& entry : lines_) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* entry : sorted) {
    const LineRecord& line = entry->second;
    LineRecordState* saved = out->add_lines();
    saved->set_line_id(entry->first);
    saved->set_session(line.session);
    saved->set_previous_session(line.previous_session);
    saved->set_session_bytes_in(line.session_bytes_in);
    saved->set_session_bytes_out(line.session_bytes_out);
    saved->set_last_event_ms(line.last_event_ms);
    saved->set_last_change_ms(line.last_change_ms);
    saved->set_flaps(line.flaps);
    saved->set_carrier(line.carrier);
    saved->set_state(static_cast<std::uint32_t>(line.state));
    saved->set_last_kind(line.last_kind);
    saved->set_session_stopped(line.session_stopped);
    if (line.signal_dbm != LineRecord::kNoSignal) saved->set_signal_dbm(line.signal_dbm);
  }
  for (std::uint64_t count :
       {counters_.applied, counters_.ignored_stale, counters_.ignored_duplicate,
        counters_.ignored_invalid, counters_.ignored_cap}) {
    out->add_counters(count);
  }
  activations_.Save(out->mutable_activations());
}

void LineTable::Restore(const LineTableState& saved) {
  lines_.clear();
  carriers_.clear();
  carrier_index_.clear();
  bound_.clear();
  counters_ = {};
  for (const CarrierState& carrier : saved.carriers()) {
    const std::uint16_t index = InternCarrier(carrier.name());
    CarrierTotals& totals = carriers_[index].totals;
    totals.bytes_in += carrier.bytes_in();
    totals.bytes_out += carrier.bytes_out();
    totals.sessions_started += carrier.sessions_started();
    totals.sessions_stopped += carrier.sessions_stopped();
    totals.flaps += carrier.flaps();
    // Causes this daemon does not know (a newer snapshot) count as "other".
    for (int i = 0; i < carrier.session_ends_size(); ++i) {
      const auto cause = static_cast<std::size_t>(i) < kTerminateCauseCount
                             ? static_cast<std::size_t>(i)
                             : static_cast<std::size_t>(TerminateCause::kOther);
      totals.session_ends[cause] += carrier.session_ends(i);
    }
  }
  for (const LineRecordState& state : saved.lines()) {
    LineRecord line;
    line.session = state.session();
    line.previous_session = state.previous_session();
    line.session_bytes_in = state.session_bytes_in();
    line.session_bytes_out = state.session_bytes_out();
    line.last_event_ms = state.last_event_ms();
    line.last_change_ms = state.last_change_ms();
    line.flaps = state.flaps();
    // Carriers past the cap of this daemon were folded into "other" above.
    const std::string_view name =
        state.carrier() < static_cast<std::uint32_t>(saved.carriers_size())
            ? std::string_view(saved.carriers(static_cast<int>(state.carrier())).name())
            : kUnknownCarrier;
    line.carrier = InternCarrier(name);
    line.state =
        static_cast<LineState>(std::min<std::uint32_t>(state.state(), kLineStateCount - 1));
    line.last_kind = static_cast<std::uint8_t>(state.last_kind());
    line.session_stopped = state.session_stopped();
    if (state.has_signal_dbm()) line.signal_dbm = SignalOf(state.signal_dbm());
    ++carriers_[line.carrier].totals.lines[static_cast<std::size_t>(line.state)];
    List(line);
    lines_.emplace(state.line_id(), line);
  }
  std::uint64_t* counters[] = {&counters_.applied, &counters_.ignored_stale,
                               &counters_.ignored_duplicate, &counters_.ignored_invalid,
                               &counters_.ignored_cap};
  for (int i = 0; i < saved.counters_size() && i < 5; ++i) *counters[i] = saved.counters(i);
  activations_.Restore(saved.activations());
}

}  // namespace atmwatch::engine
