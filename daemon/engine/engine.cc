#include "engine/engine.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <limits>
#include <mutex>

#include "engine_state.pb.h"
#include "events/event_kind.h"

namespace atmwatch::engine {
namespace {

using events::AtmIdOf;
using events::IsAtmEvent;

constexpr int kCountsPerAtm = 25;  // TransactionCounts, 5 × 5

// In ApplyAll's per-event ATM indexes: an event about no ATM (a line, a
// ledger entry), and an ATM the unknown cap refused.
constexpr AtmIndex kNoAtm = std::numeric_limits<AtmIndex>::max();
constexpr AtmIndex kCappedAtm = kNoAtm - 1;

// How many events ahead ApplyAll starts loading what an event will touch:
// its ATM's slot in the id index while resolving; the ATM's records, and
// then what they point to, while applying.
constexpr std::size_t kResolveAhead = 8;
constexpr std::size_t kRecordsAhead = 12;
constexpr std::size_t kPointeesAhead = 6;

// The line table counts activations per day of the business calendar.
LineTableOptions LinesInLocalDays(LineTableOptions options, const Calendar& calendar) {
  options.utc_offset = calendar.utc_offset();
  return options;
}

}  // namespace

Engine::Engine(EngineConfig config)
    : fleet_(std::move(config.inventory), config.max_unknown_atms),
      calendar_(std::move(config.calendar)),
      fees_(std::move(config.fees)),
      costs_(config.costs),
      atms_(fleet_.size()),
      cash_(fleet_.size()),
      cash_known_(fleet_.size()),
      devices_(fleet_.size()),
      lines_(LinesInLocalDays(config.lines, calendar_)),
      atm_silence_ms_(config.atm_silence_ms),
      mvno_lines_target_(config.mvno_lines_target),
      plan_(std::move(config.plan)),
      cash_visits_(std::move(config.cash_visits)) {
  hours_.Assign(fleet_, config.business_hours, config.site_hours);
  site_shares_ = std::move(config.site_shares);
  BindInventory();
}

namespace {
EngineConfig WithInventory(std::vector<InventoryEntry> inventory, std::size_t max_unknown_atms) {
  EngineConfig config;
  config.inventory = std::move(inventory);
  config.max_unknown_atms = max_unknown_atms;
  return config;
}
}  // namespace

Engine::Engine(std::vector<InventoryEntry> inventory, std::size_t max_unknown_atms)
    : Engine(WithInventory(std::move(inventory), max_unknown_atms)) {}

std::optional<std::string_view> Engine::Apply(const v1::Envelope& event) {
  std::unique_lock lock(mutex_);
  return ApplyLocked(event, ResolveLocked(event));
}

// A fleet's events arrive in no order of ATM, and each touches a handful
// of per-ATM records that are rarely still in cache: waiting for them one
// after another is most of the cost of an event. So the batch's ATMs are
// resolved first, and the records of the events a few places ahead are
// loaded while the current one is applied. Resolving first changes
// nothing: the fleet only grows through Resolve, in event order either way.
void Engine::ApplyAll(std::span<const v1::Envelope* const> events,
                      std::span<std::optional<std::string_view>> refusals) {
  std::unique_lock lock(mutex_);
  const std::size_t n = events.size();
  resolved_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kResolveAhead < n) fleet_.Prefetch(AtmIdOf(*events[i + kResolveAhead]));
    resolved_[i] = ResolveLocked(*events[i]);
  }
  FitToFleet();
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kRecordsAhead < n) PrefetchRecords(resolved_[i + kRecordsAhead]);
    if (i + kPointeesAhead < n) {
      PrefetchPointees(*events[i + kPointeesAhead], resolved_[i + kPointeesAhead]);
    }
    refusals[i] = ApplyLocked(*events[i], resolved_[i]);
  }
}

AtmIndex Engine::ResolveLocked(const v1::Envelope& event) {
  if (!IsAtmEvent(event)) return kNoAtm;
  // The status of an unknown ATM still counts towards the cap: it would
  // otherwise create series the operator never configured.
  const auto atm = fleet_.Resolve(AtmIdOf(event));
  return atm ? *atm : kCappedAtm;
}

void Engine::PrefetchRecords(AtmIndex atm) const {
  if (atm >= atms_.size()) return;
  const auto* counters = reinterpret_cast<const char*>(&atms_[atm]);
  for (std::size_t offset = 0; offset < sizeof(AtmCounters); offset += 64) {
    __builtin_prefetch(counters + offset);
  }
  usage_.PrefetchHeader(atm);
}

void Engine::PrefetchPointees(const v1::Envelope& event, AtmIndex atm) const {
  if (atm >= atms_.size() || event.event_case() != v1::Envelope::kTransaction) return;
  usage_.Prefetch(atm, calendar_.LocalDayNumber(event.time_unix_ms()));
  authorization_.Prefetch(atm);
  if (cash_known_[atm]) {
    const auto* cash = reinterpret_cast<const char*>(&cash_[atm]);
    __builtin_prefetch(cash);
    __builtin_prefetch(cash + sizeof(CashPosition) - 1);
  }
}

std::optional<std::string_view> Engine::ApplyLocked(const v1::Envelope& event, AtmIndex atm) {
  if (atm == kCappedAtm) return "unknown_atm_cap";
  switch (event.event_case()) {
    case v1::Envelope::kTransaction:
      return ApplyTransaction(event.transaction(), event.time_unix_ms(), atm);
    case v1::Envelope::kStatus:
      return ApplyStatus(event.status(), event.time_unix_ms(), atm);
    case v1::Envelope::kCash:
      return ApplyCash(event.cash(), event.time_unix_ms(), atm);
    case v1::Envelope::kCardRetained:
      return ApplyCardRetained(event.card_retained(), atm);
    case v1::Envelope::kLedger:
      return ApplyLedger(event.ledger());
    case v1::Envelope::kLine:
      return ApplyLine(event.line(), event.time_unix_ms());
    default:
      return std::nullopt;
  }
}

std::optional<std::string_view> Engine::ApplyLine(const v1::LineEvent& line, int64_t time_unix_ms) {
  if (auto bound = atms_by_line_.find(line.line_id()); bound != atms_by_line_.end()) {
    for (AtmIndex atm : bound->second) Advance(atm, time_unix_ms);
  }
  if (lines_.Apply(line, time_unix_ms) == LineApply::kIgnoredCap) return "line_cap";
  return std::nullopt;
}

void Engine::Advance(AtmIndex atm, int64_t time_unix_ms) {
  AtmAvailability& availability = atms_[atm].availability;
  if (availability.accounted_unix_ms == 0) {
    availability.accounted_unix_ms = time_unix_ms;
    return;
  }
  if (time_unix_ms <= availability.accounted_unix_ms) return;
  const int64_t from = availability.accounted_unix_ms;
  const EngineView view = ViewLocked();
  availability.Credit(calendar_, hours_.Of(atm), from, time_unix_ms,
                      view.GoodUntil(atm, from, view.LineOfAtm(atm, from)));
  availability.accounted_unix_ms = time_unix_ms;
}

void Engine::BindInventory() {
  atms_by_line_.clear();
  for (AtmIndex atm = 0; atm < fleet_.size(); ++atm) {
    const InventoryEntry* entry = fleet_.inventory(atm);
    if (entry == nullptr || entry->line_id.empty()) continue;
    atms_by_line_[entry->line_id].push_back(atm);
  }
  std::vector<std::string> unbind;
  for (const std::string& line : lines_.bound_lines()) {
    if (!atms_by_line_.contains(line)) unbind.push_back(line);
  }
  for (const std::string& line : unbind) lines_.Unbind(line);
  line_of_atm_.assign(fleet_.size(), nullptr);
  for (AtmIndex atm = 0; atm < fleet_.size(); ++atm) {
    const InventoryEntry* entry = fleet_.inventory(atm);
    if (entry != nullptr && !entry->line_id.empty()) {
      line_of_atm_[atm] = &lines_.Bind(entry->line_id, entry->carrier);
    }
  }
}

const std::string* EngineView::LineOf(AtmIndex atm) const {
  const InventoryEntry* entry = fleet.inventory(atm);
  return entry == nullptr || entry->line_id.empty() ? nullptr : &entry->line_id;
}

// Only a data session carries transactions: a line that is merely attached
// to the network cannot reach the host, so it counts as down.
bool EngineView::LineUp(const LineView& line) {
  return line.state == LineState::kInSession && !line.stale;
}

EngineView::AtmLine EngineView::LineOfAtm(AtmIndex atm, int64_t now_ms) const {
  AtmLine found;
  found.line_id = LineOf(atm);
  // An ATM with a line in the inventory was bound, so its record is kept.
  if (found.line_id != nullptr) found.line = lines.ViewOf(*line_of_atm[atm], now_ms);
  return found;
}

int64_t EngineView::UpUntil(AtmIndex atm, int64_t from_ms) const {
  return UpUntil(atm, from_ms, LineOfAtm(atm, from_ms));
}

// Staleness is of no concern here (the line's last event bounds the stretch
// instead), so a line looked up at any time will do.
int64_t EngineView::UpUntil(AtmIndex atm, int64_t from_ms, const AtmLine& atm_line) const {
  const AtmCounters& counters = atms[atm];
  if (!HardwareServes(counters.availability, devices[atm]) || !SiteOpen(counters.availability))
    return from_ms;
  const int64_t alive = std::max(counters.last_transaction_unix_ms, counters.last_status_unix_ms);
  if (alive == 0) return from_ms;
  int64_t until = alive + atm_silence_ms;
  if (atm_line.line_id != nullptr) {
    const LineView& line = atm_line.line;
    if (line.state != LineState::kInSession) return from_ms;
    if (line.last_seen_unix_ms) {
      until =
          std::min(until, *line.last_seen_unix_ms + 2 * lines.options().interim_interval.count());
    }
  }
  return std::max(until, from_ms);
}

AvailableUntil EngineView::GoodUntil(AtmIndex atm, int64_t from_ms, const AtmLine& atm_line) const {
  const AtmCounters& counters = atms[atm];
  engine::AvailableUntil until{};
  until[AvailabilityIndex(Availability::kHardware)] =
      HardwareServes(counters.availability, devices[atm]) ? std::numeric_limits<int64_t>::max()
                                                          : from_ms;
  int64_t comms = from_ms;
  if (atm_line.line_id != nullptr) {
    const LineView& line = atm_line.line;
    if (line.state == LineState::kInSession) {
      comms = line.last_seen_unix_ms
                  ? *line.last_seen_unix_ms + 2 * lines.options().interim_interval.count()
                  : std::numeric_limits<int64_t>::max();
    }
  } else {
    // No line to watch: comms are good while the ATM is heard from.
    const int64_t alive = std::max(counters.last_transaction_unix_ms, counters.last_status_unix_ms);
    if (alive != 0) comms = alive + atm_silence_ms;
  }
  until[AvailabilityIndex(Availability::kComms)] = std::max(comms, from_ms);
  until[AvailabilityIndex(Availability::kCardholder)] = UpUntil(atm, from_ms, atm_line);
  return until;
}

EngineView::Totals EngineView::TotalsAt(AtmIndex atm, int64_t now_ms,
                                        const AtmLine& atm_line) const {
  const AtmAvailability& availability = atms[atm].availability;
  Totals totals;
  totals.business_seconds = static_cast<int64_t>(availability.business_seconds_total);
  for (std::size_t a = 0; a < kAvailabilityCount; ++a) {
    totals.available_seconds[a] = static_cast<int64_t>(availability.available_seconds_total[a]);
  }
  const int64_t from = availability.accounted_unix_ms;
  if (from == 0 || now_ms <= from) return totals;
  // The open stretch, counted as Advance would count it if an event came now.
  const StretchSeconds open =
      SecondsOfStretch(calendar, hours.Of(atm), from, now_ms, GoodUntil(atm, from, atm_line));
  totals.business_seconds += open.business;
  for (std::size_t a = 0; a < kAvailabilityCount; ++a) {
    totals.available_seconds[a] += open.available[a];
  }
  return totals;
}

bool EngineView::AtmUp(AtmIndex atm, int64_t now_ms) const {
  return AtmUp(atm, now_ms, LineOfAtm(atm, now_ms));
}

bool EngineView::AtmUp(AtmIndex atm, int64_t now_ms, const AtmLine& atm_line) const {
  const AtmCounters& counters = atms[atm];
  if (!HardwareServes(counters.availability, devices[atm]) || !SiteOpen(counters.availability))
    return false;
  const int64_t alive = std::max(counters.last_transaction_unix_ms, counters.last_status_unix_ms);
  if (alive == 0 || now_ms - alive > atm_silence_ms) return false;
  return atm_line.line_id == nullptr || LineUp(atm_line.line);
}

int64_t EngineView::AvailableSecondsToday(AtmIndex atm, int64_t now_ms) const {
  return AvailableSecondsToday(atm, now_ms, LineOfAtm(atm, now_ms));
}

int64_t EngineView::AvailableSecondsToday(AtmIndex atm, int64_t now_ms,
                                          const AtmLine& atm_line) const {
  const AtmAvailability& availability = atms[atm].availability;
  const int64_t day = calendar.LocalDayNumber(now_ms);
  int64_t seconds = availability.AvailableOn(day);
  const int64_t from = availability.accounted_unix_ms;
  if (from != 0 && now_ms > from) {
    seconds += hours.Of(atm).SecondsWithin(calendar, day, from,
                                           std::min(now_ms, UpUntil(atm, from, atm_line)));
  }
  return seconds;
}

void Engine::FitToFleet() {
  if (atms_.size() < fleet_.size()) {
    atms_.resize(fleet_.size());
    cash_.resize(fleet_.size());
    cash_known_.resize(fleet_.size());
    devices_.resize(fleet_.size());
  }
}

std::optional<std::string_view> Engine::ApplyTransaction(const v1::AtmTransaction& tx,
                                                         int64_t time_unix_ms, AtmIndex atm) {
  FitToFleet();
  const int minute_of_day = calendar_.MinuteOfDay(time_unix_ms);
  const int64_t commission_yen =
      fees_.Commission(tx, calendar_.DayClassAt(time_unix_ms), minute_of_day);

  Advance(atm, time_unix_ms);
  AtmCounters& counters = atms_[atm];
  ++counters.transactions[tx.type()][tx.result()];
  if (commission_yen >= 0) {
    counters.commission_earned_yen += commission_yen;
  } else {
    counters.commission_reversed_yen -= commission_yen;
  }
  counters.last_transaction_unix_ms = std::max(counters.last_transaction_unix_ms, time_unix_ms);

  usage_.Add(UsageTransaction{.atm = atm,
                              .local_day = calendar_.LocalDayNumber(time_unix_ms),
                              .hour = minute_of_day / 60,
                              .time_unix_ms = time_unix_ms,
                              .type = tx.type(),
                              .result = tx.result(),
                              .amount_yen = tx.amount_yen(),
                              .commission_yen = commission_yen});
  if (tx.type() == v1::AtmTransaction::WITHDRAWAL) {
    authorization_.Count(atm, tx.issuer(), tx.result());
    if (cash_known_[atm]) {
      if (tx.result() == v1::AtmTransaction::APPROVED) {
        cash_[atm].Dispense(tx.amount_yen(), time_unix_ms);
      } else if (tx.result() == v1::AtmTransaction::REVERSED) {
        cash_[atm].Return(tx.amount_yen(), time_unix_ms);
      }
    }
  }
  return std::nullopt;
}

// Cash events are no sign of life: a count may come from the host's records
// while the terminal is down.
std::optional<std::string_view> Engine::ApplyCash(const v1::CashEvent& cash, int64_t time_unix_ms,
                                                  AtmIndex atm) {
  FitToFleet();
  if (cash.kind() == v1::CashEvent::REPLENISHMENT && cash.cost_yen() > 0) {
    ledger_.RecordCashInTransit(calendar_.LocalDayNumber(time_unix_ms), cash.cost_yen());
  }
  cash_[atm].Apply(cash, time_unix_ms);
  cash_known_[atm] = cash_[atm].known();
  return std::nullopt;
}

// Like cash events, a retained card is no sign of life: the host's journal
// may report it later.
std::optional<std::string_view> Engine::ApplyCardRetained(const v1::CardRetained& card,
                                                          AtmIndex atm) {
  FitToFleet();
  devices_[atm].CountRetained(card.reason());
  return std::nullopt;
}

std::optional<std::string_view> Engine::ApplyStatus(const v1::AtmStatus& status,
                                                    int64_t time_unix_ms, AtmIndex atm) {
  FitToFleet();
  Advance(atm, time_unix_ms);
  AtmCounters& counters = atms_[atm];
  counters.last_status_unix_ms = std::max(counters.last_status_unix_ms, time_unix_ms);
  if (status.state() != v1::AtmStatus::STATE_UNSPECIFIED) {
    // The proto's states in order, from IN_SERVICE = 1.
    counters.availability.SetState(static_cast<AtmServiceState>(status.state() - 1), time_unix_ms);
  }
  if (!status.components().empty()) devices_[atm].Apply(status, time_unix_ms);
  return std::nullopt;
}

std::optional<std::string_view> Engine::ApplyLedger(const v1::LedgerEntry& entry) {
  std::chrono::year_month_day date;
  if (!ParseDate(entry.booking_date(), &date).ok()) return "bad_date";
  ledger_.Book(static_cast<LedgerCategory>(entry.category()), DayNumberOf(date),
               entry.amount_yen());
  return std::nullopt;
}

void Engine::Reconfigure(EngineConfig config) {
  std::unique_lock lock(mutex_);
  fleet_.SetInventory(std::move(config.inventory));
  fleet_.set_max_unknown_atms(config.max_unknown_atms);
  FitToFleet();
  calendar_ = std::move(config.calendar);
  fees_ = std::move(config.fees);
  costs_ = config.costs;
  lines_.SetOptions(LinesInLocalDays(config.lines, calendar_));
  hours_.Assign(fleet_, config.business_hours, config.site_hours);
  site_shares_ = std::move(config.site_shares);
  atm_silence_ms_ = config.atm_silence_ms;
  mvno_lines_target_ = config.mvno_lines_target;
  plan_ = std::move(config.plan);
  cash_visits_ = std::move(config.cash_visits);
  BindInventory();
}

void Engine::ForEachAtm(const std::function<void(const AtmView&)>& visit) const {
  std::shared_lock lock(mutex_);
  for (AtmIndex atm = 0; atm < fleet_.size(); ++atm) {
    visit(AtmView{fleet_.id(atm), fleet_.inventory(atm), atms_[atm].transactions});
  }
}

EngineView Engine::ViewLocked() const {
  return EngineView{.fleet = fleet_,
                    .atms = atms_,
                    .cash = cash_,
                    .devices = devices_,
                    .usage = usage_,
                    .ledger = ledger_,
                    .authorization = authorization_,
                    .calendar = calendar_,
                    .fees = fees_,
                    .costs = costs_,
                    .lines = lines_,
                    .line_of_atm = line_of_atm_,
                    .hours = hours_,
                    .site_shares = site_shares_,
                    .atm_silence_ms = atm_silence_ms_,
                    .mvno_lines_target = mvno_lines_target_,
                    .plan = plan_,
                    .cash_visits = cash_visits_};
}

void Engine::Read(const std::function<void(const EngineView&)>& read) const {
  std::shared_lock lock(mutex_);
  read(ViewLocked());
}

std::size_t Engine::unknown_atms() const {
  std::shared_lock lock(mutex_);
  return fleet_.unknown_count();
}

std::string Engine::SerializeState() const {
  std::shared_lock lock(mutex_);
  EngineState state;
  for (AtmIndex atm = 0; atm < fleet_.size(); ++atm) {
    const AtmCounters& counters = atms_[atm];
    AtmState* saved = state.add_atms();
    saved->set_id(fleet_.id(atm));
    for (const auto& row : counters.transactions) {
      for (const auto count : row) saved->add_transactions(count);
    }
    saved->set_commission_earned_yen(counters.commission_earned_yen);
    saved->set_commission_reversed_yen(counters.commission_reversed_yen);
    saved->set_last_transaction_unix_ms(counters.last_transaction_unix_ms);
    saved->set_last_status_unix_ms(counters.last_status_unix_ms);
    const AtmAvailability& availability = counters.availability;
    saved->set_state(static_cast<uint32_t>(availability.state));
    saved->set_state_since_unix_ms(availability.state_since_unix_ms);
    saved->set_state_event_unix_ms(availability.state_event_unix_ms);
    saved->set_accounted_unix_ms(availability.accounted_unix_ms);
    for (const AtmAvailability::Day& day : availability.KeptDays()) {
      saved->add_available_days(day.day);
      saved->add_available_seconds(day.seconds[AvailabilityIndex(Availability::kCardholder)]);
      saved->add_hardware_seconds(day.seconds[AvailabilityIndex(Availability::kHardware)]);
      saved->add_comms_seconds(day.seconds[AvailabilityIndex(Availability::kComms)]);
    }
    saved->set_business_seconds_total(availability.business_seconds_total);
    saved->set_hardware_seconds_total(
        availability.available_seconds_total[AvailabilityIndex(Availability::kHardware)]);
    saved->set_comms_seconds_total(
        availability.available_seconds_total[AvailabilityIndex(Availability::kComms)]);
    saved->set_cardholder_seconds_total(
        availability.available_seconds_total[AvailabilityIndex(Availability::kCardholder)]);
    if (cash_[atm].active()) cash_[atm].Save(saved->mutable_cash());
    if (devices_[atm].active()) devices_[atm].Save(saved->mutable_device());
  }
  usage_.Save(state.mutable_usage(), fleet_.size());
  ledger_.Save(state.mutable_ledger());
  authorization_.Save(state.mutable_authorization(), fleet_.size());
  lines_.Save(state.mutable_lines());
  // Deterministic bytes: the same aggregates always serialize the same, so
  // tests and tools can compare snapshots byte for byte.
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  state.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

bool Engine::RestoreState(std::string_view bytes) {
  EngineState state;
  if (!state.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return false;
  std::unique_lock lock(mutex_);
  std::vector<AtmIndex> atm_of_saved;
  atm_of_saved.reserve(static_cast<std::size_t>(state.atms_size()));
  for (const auto& saved : state.atms()) atm_of_saved.push_back(fleet_.Adopt(saved.id()));
  atms_.assign(fleet_.size(), AtmCounters{});
  cash_.assign(fleet_.size(), CashPosition{});
  cash_known_.assign(fleet_.size(), 0);
  devices_.clear();
  devices_.resize(fleet_.size());
  for (std::size_t i = 0; i < atm_of_saved.size(); ++i) {
    const AtmState& saved = state.atms(static_cast<int>(i));
    AtmCounters& counters = atms_[atm_of_saved[i]];
    const int n = std::min(saved.transactions_size(), kCountsPerAtm);
    for (int c = 0; c < n; ++c) counters.transactions[c / 5][c % 5] = saved.transactions(c);
    counters.commission_earned_yen = saved.commission_earned_yen();
    counters.commission_reversed_yen = saved.commission_reversed_yen();
    counters.last_transaction_unix_ms = saved.last_transaction_unix_ms();
    counters.last_status_unix_ms = saved.last_status_unix_ms();
    AtmAvailability& availability = counters.availability;
    availability.state = static_cast<AtmServiceState>(
        std::min<uint32_t>(saved.state(), static_cast<uint32_t>(kAtmStateCount - 1)));
    availability.state_since_unix_ms = saved.state_since_unix_ms();
    availability.state_event_unix_ms = saved.state_event_unix_ms();
    availability.accounted_unix_ms = saved.accounted_unix_ms();
    const int days = std::min(saved.available_days_size(), saved.available_seconds_size());
    // Hardware and comms per day came later: absent in older snapshots.
    for (int d = 0; d < days; ++d) {
      AtmAvailability::Day day{.day = saved.available_days(d)};
      day.seconds[AvailabilityIndex(Availability::kCardholder)] = saved.available_seconds(d);
      if (d < saved.hardware_seconds_size()) {
        day.seconds[AvailabilityIndex(Availability::kHardware)] = saved.hardware_seconds(d);
      }
      if (d < saved.comms_seconds_size()) {
        day.seconds[AvailabilityIndex(Availability::kComms)] = saved.comms_seconds(d);
      }
      availability.RestoreDay(day);
    }
    availability.business_seconds_total = saved.business_seconds_total();
    availability.available_seconds_total[AvailabilityIndex(Availability::kHardware)] =
        saved.hardware_seconds_total();
    availability.available_seconds_total[AvailabilityIndex(Availability::kComms)] =
        saved.comms_seconds_total();
    availability.available_seconds_total[AvailabilityIndex(Availability::kCardholder)] =
        saved.cardholder_seconds_total();
    if (saved.has_cash()) {
      cash_[atm_of_saved[i]].Restore(saved.cash());
      cash_known_[atm_of_saved[i]] = cash_[atm_of_saved[i]].known();
    }
    if (saved.has_device()) devices_[atm_of_saved[i]].Restore(saved.device());
  }
  usage_.Restore(state.usage(), atm_of_saved);
  ledger_.Restore(state.ledger());
  authorization_.Restore(state.authorization(), atm_of_saved);
  lines_.Restore(state.lines());
  BindInventory();
  return true;
}

}  // namespace atmwatch::engine
