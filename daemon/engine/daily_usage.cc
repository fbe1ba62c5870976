#include "engine/daily_usage.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "engine_state.pb.h"

namespace atmwatch::engine {

static_assert(sizeof(AtmDayUsage) == 44, "the memory estimate in daily_usage.h counts on it");

namespace {

std::size_t CountIndex(int type, int result) {
  return static_cast<std::size_t>((type - 1) * kTransactionResults + (result - 1));
}

// Rings are indexed by day number, which is negative before 1970.
std::size_t RingIndex(int64_t day, std::size_t ring_size) {
  int64_t size = static_cast<int64_t>(ring_size);
  return static_cast<std::size_t>(((day % size) + size) % size);
}

// Per-ATM rings start with a few days and double, up to their horizon,
// when a day would take the slot of another that is still kept. An ATM with
// a few days of history then holds 8 records, not 35: for a young fleet
// that is much of the daemon's memory, and what an ATM holds stays together
// in cache. The record returned holds `day`, or is free for it.
constexpr std::size_t kFirstRingDays = 8;

template <typename Record>
Record& RecordFor(std::vector<Record>& ring, int64_t day, std::size_t horizon, DayRange kept) {
  if (ring.empty()) ring.resize(std::min(kFirstRingDays, horizon));
  for (;;) {
    Record& record = ring[RingIndex(day, ring.size())];
    if (record.day == day || ring.size() >= horizon || !kept.Contains(record.day)) return record;
    std::vector<Record> grown(std::min(2 * ring.size(), horizon));
    for (const Record& old : ring) {
      if (kept.Contains(old.day)) grown[RingIndex(old.day, grown.size())] = old;
    }
    ring.swap(grown);
  }
}

// A ring's records within `kept`, oldest first: snapshots then do not
// depend on how the ring grew.
template <typename Record>
std::vector<const Record*> KeptRecords(const std::vector<Record>& ring, DayRange kept) {
  std::vector<const Record*> records;
  for (const Record& record : ring) {
    if (kept.Contains(record.day)) records.push_back(&record);
  }
  std::sort(records.begin(), records.end(),
            [](const Record* a, const Record* b) { return a->day < b->day; });
  return records;
}

// The day of a ring slot that holds no record.
constexpr int32_t kNoDay = AtmDayUsage{}.day;

void AddSaturating(uint16_t& count) {
  if (count < std::numeric_limits<uint16_t>::max()) ++count;
}

int32_t Saturated(int64_t yen) {
  return static_cast<int32_t>(std::clamp<int64_t>(yen, std::numeric_limits<int32_t>::min(),
                                                  std::numeric_limits<int32_t>::max()));
}

int64_t SignedWithdrawalYen(const UsageTransaction& transaction) {
  if (transaction.type != kWithdrawal) return 0;
  if (transaction.result == kApproved) return transaction.amount_yen;
  if (transaction.result == kReversed) return -transaction.amount_yen;
  return 0;
}

}  // namespace

uint32_t AtmDayUsage::Count(int type, int result) const { return counts[CountIndex(type, result)]; }

uint64_t AtmDayUsage::Transactions() const {
  return std::accumulate(counts.begin(), counts.end(), uint64_t{0});
}

uint64_t UsageTotals::Count(int type, int result) const { return counts[CountIndex(type, result)]; }

uint64_t UsageTotals::Transactions() const {
  return std::accumulate(counts.begin(), counts.end(), uint64_t{0});
}

void UsageTotals::Add(const AtmDayUsage& day) {
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += day.counts[i];
  withdrawal_yen += day.withdrawal_yen;
  commission_yen += day.commission_yen;
}

void UsageTotals::Add(const UsageTotals& other) {
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
  withdrawal_yen += other.withdrawal_yen;
  commission_yen += other.commission_yen;
}

DailyUsage::DailyUsage(int retention_days, int hourly_days)
    : retention_days_(retention_days), hourly_days_(hourly_days) {
  if (hourly_days < 1 || hourly_days > retention_days) {
    throw std::invalid_argument("DailyUsage: need 1 <= hourly_days <= retention_days");
  }
}

bool DailyUsage::Add(const UsageTransaction& transaction) {
  if (transaction.type < 1 || transaction.type > kTransactionTypes || transaction.result < 1 ||
      transaction.result > kTransactionResults || transaction.hour < 0 || transaction.hour > 23) {
    throw std::invalid_argument("DailyUsage::Add: type, result or hour out of range");
  }
  const int64_t day = transaction.local_day;
  const std::size_t count_index = CountIndex(transaction.type, transaction.result);
  const int64_t withdrawal_yen = SignedWithdrawalYen(transaction);

  UsageTotals& fleet_day = fleet_[day];
  ++fleet_day.counts[count_index];
  fleet_day.withdrawal_yen += withdrawal_yen;
  fleet_day.commission_yen += transaction.commission_yen;

  if (transaction.atm >= atms_.size()) atms_.resize(transaction.atm + 1);
  AtmHistory& history = atms_[transaction.atm];
  if (latest_day_ && day < *latest_day_) ++history.past_edits;
  if (!latest_day_ || day > *latest_day_) latest_day_ = day;
  MarkActive(history, day);
  if (!detail_window().Contains(day)) return false;
  AgeRecentDays(history);

  auto count = [&](AtmDayUsage& record) {
    AddSaturating(record.counts[count_index]);
    record.withdrawal_yen = Saturated(int64_t{record.withdrawal_yen} + withdrawal_yen);
    record.commission_yen = Saturated(int64_t{record.commission_yen} + transaction.commission_yen);
  };
  if (!hourly_window().Contains(day)) {
    AtmDayUsage record =
        history.older.Find(day).value_or(AtmDayUsage{.day = static_cast<int32_t>(day)});
    count(record);
    history.older.Put(record);
    return true;
  }

  AtmDayUsage& record =
      RecordFor(history.recent, day, static_cast<std::size_t>(hourly_days_), hourly_window());
  if (record.day != day) {
    record = AtmDayUsage{.day = static_cast<int32_t>(day)};
    history.oldest_recent_day = std::min(history.oldest_recent_day, record.day);
  }
  count(record);

  HourlySlot& slot =
      RecordFor(history.hours, day, static_cast<std::size_t>(hourly_days_), hourly_window());
  if (slot.day != day) slot = HourlySlot{.day = static_cast<int32_t>(day)};
  AddSaturating(slot.transactions[static_cast<std::size_t>(transaction.hour)]);
  return true;
}

void DailyUsage::AgeRecentDays(AtmHistory& history) {
  const DayRange recent = hourly_window();
  if (history.oldest_recent_day >= recent.first) return;
  const DayRange detail = detail_window();
  // Oldest first, so that each one appends to the older days. There is
  // usually one, once a day per ATM.
  for (;;) {
    AtmDayUsage* oldest = nullptr;
    for (AtmDayUsage& record : history.recent) {
      if (record.day == kNoDay || record.day >= recent.first) continue;
      if (oldest == nullptr || record.day < oldest->day) oldest = &record;
    }
    if (oldest == nullptr) break;
    if (detail.Contains(oldest->day)) history.older.Put(*oldest);
    *oldest = AtmDayUsage{};
  }
  history.older.DropBefore(detail.first);
  history.oldest_recent_day = std::numeric_limits<int32_t>::max();
  for (const AtmDayUsage& record : history.recent) {
    if (record.day != kNoDay) {
      history.oldest_recent_day = std::min(history.oldest_recent_day, record.day);
    }
  }
}

void DailyUsage::PrefetchHeader(AtmIndex atm) const {
  if (atm < atms_.size()) __builtin_prefetch(&atms_[atm]);
}

void DailyUsage::Prefetch(AtmIndex atm, int64_t day) const {
  if (atm >= atms_.size()) return;
  const AtmHistory& history = atms_[atm];
  if (!history.active.empty()) __builtin_prefetch(history.active.data());
  if (!history.recent.empty()) {
    __builtin_prefetch(&history.recent[RingIndex(day, history.recent.size())]);
  }
  if (history.hours.empty()) return;
  const HourlySlot* slot = &history.hours[RingIndex(day, history.hours.size())];
  __builtin_prefetch(slot);
  __builtin_prefetch(reinterpret_cast<const char*>(slot) + sizeof(HourlySlot) - 1);
}

void DailyUsage::MarkActive(AtmHistory& history, int64_t day) {
  std::vector<DayRange>& runs = history.active;
  if (runs.empty() || day < runs.front().first) [[unlikely]] {
    service_starts_.Move(runs.empty() ? std::nullopt : std::optional(runs.front().first), day);
  }
  // The first run that `day` can join: one ending no earlier than the day before.
  auto it = std::lower_bound(runs.begin(), runs.end(), day - 1,
                             [](const DayRange& run, int64_t d) { return run.last < d; });
  if (it == runs.end() || it->first > day + 1) {
    runs.insert(it, DayRange{day, day});
    return;
  }
  if (it->Contains(day)) return;
  if (day == it->first - 1) {
    it->first = day;
    return;
  }
  it->last = day;  // day == it->last + 1; it may now touch the next run
  if (auto next = it + 1; next != runs.end() && next->first == day + 1) {
    it->last = next->last;
    runs.erase(next);
  }
}

DayRange DailyUsage::WindowOf(int days) const {
  if (!latest_day_) return {};
  return {*latest_day_ - days + 1, *latest_day_};
}

std::optional<AtmDayUsage> DailyUsage::Find(AtmIndex atm, int64_t day) const {
  if (atm >= atms_.size() || !detail_window().Contains(day)) return std::nullopt;
  const AtmHistory& history = atms_[atm];
  if (!history.recent.empty()) {
    const AtmDayUsage& record = history.recent[RingIndex(day, history.recent.size())];
    if (record.day == day) return record;
  }
  return history.older.Find(day);
}

HourlyTransactions DailyUsage::Hourly(AtmIndex atm, int64_t day) const {
  if (atm >= atms_.size() || atms_[atm].hours.empty() || !hourly_window().Contains(day)) return {};
  const std::vector<HourlySlot>& ring = atms_[atm].hours;
  const HourlySlot& slot = ring[RingIndex(day, ring.size())];
  if (slot.day != day) return {};
  return slot.transactions;
}

UsageTotals DailyUsage::AtmTotals(AtmIndex atm, DayRange range) const {
  UsageTotals totals;
  const DayRange kept = Intersect(range, detail_window());
  if (atm >= atms_.size() || kept.days() == 0) return totals;
  const AtmHistory& history = atms_[atm];
  if (!history.recent.empty()) {
    for (int64_t day = kept.first; day <= kept.last; ++day) {
      const AtmDayUsage& record = history.recent[RingIndex(day, history.recent.size())];
      if (record.day == day) totals.Add(record);
    }
  }
  history.older.ForEachIn(kept, [&totals](const AtmDayUsage& record) { totals.Add(record); });
  return totals;
}

UsageTotals DailyUsage::FleetTotals(DayRange range) const {
  UsageTotals totals;
  if (range.days() == 0) return totals;
  for (auto it = fleet_.lower_bound(range.first); it != fleet_.end() && it->first <= range.last;
       ++it) {
    totals.Add(it->second);
  }
  return totals;
}

std::size_t DailyUsage::AtmsActive(DayRange range) const {
  if (range.days() == 0) return 0;
  return std::count_if(atms_.begin(), atms_.end(), [&](const AtmHistory& history) {
    auto it = std::lower_bound(history.active.begin(), history.active.end(), range.first,
                               [](const DayRange& run, int64_t d) { return run.last < d; });
    return it != history.active.end() && it->first <= range.last;
  });
}

PastDaysStamp DailyUsage::PastDaysStampOf(AtmIndex atm) const {
  return {.restores = restores_,
          .edits = atm < atms_.size() ? atms_[atm].past_edits : 0,
          .latest_day = latest_day_.value_or(0)};
}

std::optional<int64_t> DailyUsage::FirstActiveDay(AtmIndex atm) const {
  if (atm >= atms_.size() || atms_[atm].active.empty()) return std::nullopt;
  return atms_[atm].active.front().first;
}

std::size_t DailyUsage::AtmsInService(int64_t day) const {
  return service_starts_.CountOnOrBefore(day);
}

int64_t DailyUsage::AtmDaysInService(DayRange range) const {
  return service_starts_.AtmDays(range);
}

std::optional<int64_t> DailyUsage::earliest_day() const {
  if (fleet_.empty()) return std::nullopt;
  return fleet_.begin()->first;
}

void DailyUsage::Save(DailyUsageState* out, std::size_t atms) const {
  if (latest_day_) out->set_latest_day(*latest_day_);
  for (std::size_t atm = 0; atm < atms; ++atm) {
    AtmUsageState* saved = out->add_atms();
    if (atm >= atms_.size()) continue;
    const AtmHistory& history = atms_[atm];
    auto save_day = [saved](const AtmDayUsage& record) {
      UsageDay* day = saved->add_days();
      day->set_day(record.day);
      for (uint16_t count : record.counts) day->add_counts(count);
      day->set_withdrawal_yen(record.withdrawal_yen);
      day->set_commission_yen(record.commission_yen);
    };
    // Every older day precedes every recent one (AtmHistory), so the days
    // come out oldest first whichever tier holds them.
    history.older.ForEachIn(detail_window(), save_day);
    for (const AtmDayUsage* record : KeptRecords(history.recent, detail_window())) {
      save_day(*record);
    }
    for (const HourlySlot* slot : KeptRecords(history.hours, hourly_window())) {
      UsageHours* hours = saved->add_hours();
      hours->set_day(slot->day);
      for (uint16_t count : slot->transactions) hours->add_transactions(count);
    }
    for (const DayRange& run : history.active) {
      saved->add_active_runs(run.first);
      saved->add_active_runs(run.last);
    }
  }
  for (const auto& [day, totals] : fleet_) {
    FleetUsageDay* saved = out->add_fleet();
    saved->set_day(day);
    for (uint64_t count : totals.counts) saved->add_counts(count);
    saved->set_withdrawal_yen(totals.withdrawal_yen);
    saved->set_commission_yen(totals.commission_yen);
  }
}

void DailyUsage::Restore(const DailyUsageState& saved, std::span<const AtmIndex> atm_of_saved) {
  ++restores_;
  latest_day_.reset();
  if (saved.has_latest_day()) latest_day_ = saved.latest_day();
  atms_.clear();
  fleet_.clear();
  const DayRange detail = detail_window();
  const DayRange hourly = hourly_window();
  const std::size_t atms = std::min<std::size_t>(saved.atms_size(), atm_of_saved.size());
  for (std::size_t i = 0; i < atms; ++i) {
    const AtmUsageState& from = saved.atms(static_cast<int>(i));
    const AtmIndex atm = atm_of_saved[i];
    if (atm >= atms_.size()) atms_.resize(atm + 1);
    AtmHistory& history = atms_[atm];
    for (int run = 0; run + 1 < from.active_runs_size(); run += 2) {
      history.active.push_back({from.active_runs(run), from.active_runs(run + 1)});
    }
    for (const UsageDay& day : from.days()) {
      if (!detail.Contains(day.day())) continue;
      AtmDayUsage record{.day = day.day(),
                         .withdrawal_yen = Saturated(day.withdrawal_yen()),
                         .commission_yen = Saturated(day.commission_yen())};
      const std::size_t n = std::min<std::size_t>(day.counts_size(), record.counts.size());
      for (std::size_t c = 0; c < n; ++c) {
        record.counts[c] = static_cast<uint16_t>(day.counts(static_cast<int>(c)));
      }
      if (!hourly.Contains(record.day)) {
        history.older.Put(record);  // saved oldest first: appends
        continue;
      }
      RecordFor(history.recent, record.day, static_cast<std::size_t>(hourly_days_), hourly) =
          record;
      history.oldest_recent_day = std::min(history.oldest_recent_day, record.day);
    }
    history.older.ShrinkToFit();
    for (const UsageHours& hours : from.hours()) {
      if (!hourly.Contains(hours.day())) continue;
      HourlySlot& slot =
          RecordFor(history.hours, hours.day(), static_cast<std::size_t>(hourly_days_), hourly);
      slot = HourlySlot{.day = hours.day()};
      const std::size_t n = std::min<std::size_t>(hours.transactions_size(), 24);
      for (std::size_t h = 0; h < n; ++h) {
        slot.transactions[h] = static_cast<uint16_t>(hours.transactions(static_cast<int>(h)));
      }
    }
  }
  for (const FleetUsageDay& day : saved.fleet()) {
    UsageTotals& totals = fleet_[day.day()];
    const std::size_t n = std::min<std::size_t>(day.counts_size(), totals.counts.size());
    for (std::size_t c = 0; c < n; ++c) totals.counts[c] = day.counts(static_cast<int>(c));
    totals.withdrawal_yen = day.withdrawal_yen();
    totals.commission_yen = day.commission_yen();
  }
  std::vector<int64_t> first_days;
  for (const AtmHistory& history : atms_) {
    if (!history.active.empty()) first_days.push_back(history.active.front().first);
  }
  service_starts_.Assign(std::move(first_days));
}

}  // namespace atmwatch::engine
