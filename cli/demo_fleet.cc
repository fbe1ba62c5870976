#include "cli/demo_fleet.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/calendar.h"
#include "engine/fee_schedule.h"

namespace atmwatch::cli {
namespace {

constexpr std::int64_t kMinuteMs = 60 * 1000;
constexpr std::int64_t kHourMs = 60 * kMinuteMs;
constexpr std::int64_t kDayMs = 24 * kHourMs;
constexpr std::int64_t kWeekMs = 7 * kDayMs;

// A heartbeat and a line update per ATM this often: within atmwatchd's
// default atm_silence (5m) and its stale-session limit (2 x 5m).
constexpr std::int64_t kSignOfLifeMs = 4 * kMinuteMs;

// Usage per ATM: a parlor or shop does about this many a day times its
// popularity; a station a flat amount around the clock, enough for 20
// expected transactions within 3 minutes of local midnight.
constexpr double kParlorDaily = 1500;
constexpr double kStationDaily = 12000;
// No ATM does fewer than this an hour, even a parlor at night: the demo's
// business hours are the whole day, and a quiet parlor would otherwise go
// 2 hours without a transaction and raise AtmSilent.
constexpr double kQuietHourFloor = 8;

// The reference network: Trust Networks (IIJ group), ATM operation business,
// from IIJ's FY2009 results. Its last quarter, 4Q09 (2010-01-01..2010-03-31,
// 90 days), in yen: revenue 98 million, cost 281 million, expenses 88
// million, operating income -270 million (as published; -271 unrounded),
// 136 ATMs. 3Q09 revenue was 70 million with the same 136 ATMs.
constexpr double kReferenceRevenue = 98e6;
constexpr double kReferenceCost = 281e6;
constexpr double kReferenceExpenses = 88e6;
constexpr double kReferenceDays = 90;
constexpr double kReferencePreviousRevenue = 70e6;
constexpr double kWeeksPerQuarter = 13;
// Usage grows each week by what the reference's revenue grew per week from
// 3Q09 to 4Q09, as a share of the 4Q09 level (about 2.2%).
constexpr double kWeeklyGrowth =
    (kReferenceRevenue - kReferencePreviousRevenue) / kReferenceRevenue / kWeeksPerQuarter;
// Switching and settlement per transaction (the README's example figure);
// the reference publishes no split of its cost, so the rest is per ATM.
constexpr std::int64_t kPerTransactionYen = 10;

constexpr double kLowUsageShare = 0.1;
constexpr std::int64_t kSilentAtLeastMs = 3 * kHourMs;
constexpr std::int64_t kMaintenanceForMs = 5 * kHourMs;
constexpr std::int64_t kFlappingForMs = 10 * kMinuteMs;
constexpr std::int64_t kFlapCycleMs = 30 * 1000;
constexpr std::int64_t kFlapDownMs = 10 * 1000;
constexpr std::int64_t kDispenserFailedForMs = 20 * kMinuteMs;
// An XFS "hardware error" of the cash dispenser.
constexpr char kDispenserFault[] = "-1306";
// Each ATM keeps a card this often, the ATMs a few minutes apart.
constexpr std::int64_t kCardEveryMs = 3 * kHourMs;
constexpr std::int64_t kCardStaggerMs = 7 * kMinuteMs;

// Cash-in-transit visits: Mondays and Thursdays at 09:00 local.
constexpr int kVisitMinute = 9 * 60;
constexpr unsigned kVisitWeekdays = (1U << 1) | (1U << 4);
constexpr std::int64_t kVisitCostYen = 15000;
// A load covers this many days of the usual transactions at this many yen
// each: above what the longest gap between visits (4 days) dispenses.
constexpr double kDaysLoaded = 5;
constexpr double kYenPerTransactionLoaded = 20000;
constexpr int kNotesPerCassette = 10000;

// LiveFleet's hour-of-week shape averaged over a week, so that a parlor's
// `daily` is its average day.
double MeanHourShape() {
  double sum = 0;
  for (int hour = 0; hour < 7 * 24; ++hour) sum += LiveFleet::HourShape(hour / 24, hour % 24);
  return sum / (7 * 24);
}

// The first multiple of `step` at or after `t`.
std::int64_t CeilTo(std::int64_t t, std::int64_t step) { return (t + step - 1) / step * step; }

std::string LocalTime(const engine::Calendar& calendar, std::int64_t unix_ms) {
  const int minute = calendar.MinuteOfDay(unix_ms);
  return fmt::format("{:02d}:{:02d}", minute / 60, minute % 60);
}

}  // namespace

DemoFleet::DemoFleet(int atms, std::uint64_t seed, std::int64_t start_unix_ms)
    : fleet_(atms, seed), start_unix_ms_(start_unix_ms), rng_(seed) {
  if (atms < kMinAtms) {
    throw std::invalid_argument(fmt::format("the demo needs at least {} ATMs", kMinAtms));
  }
  const std::int64_t midnight =
      calendar_.LocalMidnightUnixMs(calendar_.LocalDayNumber(start_unix_ms));
  incident_start_unix_ms_ = std::min(midnight, start_unix_ms - kSilentAtLeastMs);
  last_visit_unix_ms_ = midnight + kVisitMinute * kMinuteMs;
  while (last_visit_unix_ms_ >= start_unix_ms ||
         (kVisitWeekdays & (1U << calendar_.LocalWeekday(last_visit_unix_ms_).c_encoding())) == 0) {
    last_visit_unix_ms_ -= kDayMs;
  }
  for (std::size_t atm = 0; atm < fleet_.atms().size(); ++atm) {
    daily_transactions_.push_back(IsStation(atm) ? kStationDaily
                                                 : kParlorDaily * fleet_.atms()[atm].popularity);
  }
}

std::int64_t DemoFleet::history_start_unix_ms() const {
  return start_unix_ms_ - kHistoryDays * kDayMs;
}

bool DemoFleet::IsStation(std::size_t atm) const {
  return atm == silent_atm() || atm == low_usage_atm();
}

std::string DemoFleet::SiteOf(std::size_t atm) const {
  const std::string& site = fleet_.atms()[atm].site;  // "Parlor Kawasaki 1"
  return IsStation(atm) ? "Station " + site.substr(site.find(' ') + 1) : site;
}

double DemoFleet::UsualHourly(std::size_t atm, int weekday, int hour) const {
  if (IsStation(atm)) return daily_transactions_[atm] / 24;
  static const double mean = MeanHourShape();
  return std::max(daily_transactions_[atm] / 24 * LiveFleet::HourShape(weekday, hour) / mean,
                  kQuietHourFloor);
}

double DemoFleet::RatePerMs(std::size_t atm, std::int64_t time_unix_ms) const {
  if (atm == silent_atm() && time_unix_ms >= incident_start_unix_ms_) return 0;
  if (atm == maintenance_atm() && time_unix_ms >= start_unix_ms_ - kMaintenanceForMs) return 0;
  if (atm == dispenser_atm() && time_unix_ms >= start_unix_ms_ - kDispenserFailedForMs) return 0;
  const int weekday = static_cast<int>(calendar_.LocalWeekday(time_unix_ms).c_encoding());
  const double growth =
      1 + kWeeklyGrowth * static_cast<double>(time_unix_ms - start_unix_ms_) / kWeekMs;
  double rate = UsualHourly(atm, weekday, calendar_.HourOfDay(time_unix_ms)) / kHourMs * growth;
  if (atm == low_usage_atm() && time_unix_ms >= incident_start_unix_ms_) rate *= kLowUsageShare;
  return std::max(rate, 0.0);
}

engine::CostModel DemoFleet::Costs() const {
  // The fleet's usual week: each ATM's transactions by hour, the share that
  // earns a withdrawal fee, at the built-in fees of that hour.
  const engine::FeeSchedule fees;
  double revenue_per_week = 0;
  double transactions_per_week = 0;
  for (int hour = 0; hour < 7 * 24; ++hour) {
    const int weekday = hour / 24;
    const auto day_class = weekday == 0 || weekday == 6 ? engine::DayClass::kWeekendOrHoliday
                                                        : engine::DayClass::kWeekday;
    double fee = 0;
    for (int minute = 0; minute < 60; ++minute) {
      fee += static_cast<double>(fees.WithdrawalFee("", day_class, hour % 24 * 60 + minute));
    }
    for (std::size_t atm = 0; atm < fleet_.atms().size(); ++atm) {
      const double transactions = UsualHourly(atm, weekday, hour % 24);
      revenue_per_week += transactions * fee / 60;
      transactions_per_week += transactions;
    }
  }
  const double revenue_per_day = revenue_per_week / 7 * LiveFleet::kWithdrawalShare *
                                 (LiveFleet::kApprovedShare - LiveFleet::kReversedShare);
  const double transactions_per_day = transactions_per_week / 7;

  // The reference's costs a day, times this fleet's revenue over the
  // reference's: revenue then covers 98 / 369 of costs, as in 4Q09.
  const double scale = revenue_per_day / (kReferenceRevenue / kReferenceDays);
  const double cost_per_day = scale * kReferenceCost / kReferenceDays;
  const double expenses_per_day = scale * kReferenceExpenses / kReferenceDays;
  constexpr double kDaysPerMonth = 365.0 / 12;
  const double atms = static_cast<double>(fleet_.atms().size());
  engine::CostModel costs;
  costs.per_transaction_yen = kPerTransactionYen;
  costs.per_atm_monthly_yen = std::llround(
      (cost_per_day - kPerTransactionYen * transactions_per_day) / atms * kDaysPerMonth);
  costs.fixed_monthly_yen = std::llround(expenses_per_day * kDaysPerMonth);
  return costs;
}

std::string DemoFleet::PlanYaml(const engine::CostModel& costs) const {
  // The fiscal year the plan's figures are of: yesterday's.
  const int fiscal_year = calendar_.FiscalYearOf(calendar_.LocalDate(start_unix_ms_ - 86'400'000));
  const double yearly_costs = 12.0 * (static_cast<double>(costs.per_atm_monthly_yen) *
                                          static_cast<double>(fleet_.atms().size()) +
                                      static_cast<double>(costs.fixed_monthly_yen));
  return fmt::format(
      "# The reference network's plan for FY2010 (a loss of 400 on costs of 1,250,\n"
      "# JPY million; breakeven in the second half), scaled to these costs and set\n"
      "# on the current fiscal year. At the demo's growth breakeven comes years\n"
      "# later: BreakevenPlanSlipping fires.\n"
      "plan:\n"
      "  fiscal_years:\n"
      "    FY{}: {{operating_income_yen: {}}}\n"
      "  breakeven: {{from: {}-10-01, to: {}-03-31}}\n",
      fiscal_year, std::llround(-yearly_costs * 400 / 1250), fiscal_year, fiscal_year + 1);
}

std::string DemoFleet::ConfigYaml() const {
  const engine::CostModel costs = Costs();
  std::string yaml = fmt::format(
      "# atmwatchd's config for `atmwatch sim --scenario demo --atms {}`.\n"
      "timezone: \"+09:00\"\n"
      "# Open around the clock, so the alerts that wait for business hours\n"
      "# (AtmSilent, AtmLowUsage, AtmDown, MvnoLineDown) can fire whenever the demo runs.\n"
      "business_hours: {{start: \"00:00\", end: \"24:00\"}}\n"
      "# The reference network's last quarter: Trust Networks' ATM operation business\n"
      "# in 4Q09 (2010-01-01..2010-03-31; IIJ's FY2009 results): revenue 98, cost 281,\n"
      "# expenses 88, operating income -270 (JPY million), 136 ATMs. Its costs a day,\n"
      "# scaled by this fleet's usual revenue over the reference's, so revenue covers\n"
      "# 98 / 369 = 27% of costs as it did then; {} yen of the cost is per transaction.\n"
      "costs:\n"
      "  per_atm_monthly_yen: {}\n"
      "  fixed_monthly_yen: {}\n"
      "  per_transaction_yen: {}\n"
      "{}"
      "# Cash-in-transit visits: every ATM on Mondays and Thursdays at 09:00.\n"
      "cash: {{default: {{visit_days: [mon, thu], visit_time: \"09:00\", "
      "cost_per_visit_yen: {}}}}}\n"
      "atms:\n",
      fleet_.atms().size(), kPerTransactionYen, costs.per_atm_monthly_yen, costs.fixed_monthly_yen,
      costs.per_transaction_yen, PlanYaml(costs), kVisitCostYen);
  for (std::size_t atm = 0; atm < fleet_.atms().size(); ++atm) {
    const SimulatedAtm& simulated = fleet_.atms()[atm];
    yaml += fmt::format(
        "  - {{id: {}, site: \"{}\", region: {}, installed: 2008-05-01, line_id: \"{}\", "
        "carrier: {}}}\n",
        simulated.id, SiteOf(atm), simulated.region, simulated.line_id, simulated.carrier);
  }
  return yaml;
}

std::vector<std::string> DemoFleet::Incidents() const {
  const auto named = [&](std::size_t atm) {
    return fmt::format("{} ({})", fleet_.atms()[atm].id, SiteOf(atm));
  };
  const std::string since = LocalTime(calendar_, incident_start_unix_ms_);
  return {
      fmt::format("{}: no transaction since {} JST, still up -> AtmSilent, AtmLowUsage",
                  named(silent_atm()), since),
      fmt::format("{}: a tenth of its usual since {} JST -> AtmLowUsage", named(low_usage_atm()),
                  since),
      fmt::format("{}: line {} drops for {} s every {} s -> MvnoLineFlapping",
                  named(flapping_atm()), fleet_.atms()[flapping_atm()].line_id, kFlapDownMs / 1000,
                  kFlapCycleMs / 1000),
      fmt::format("{}: in maintenance since {} JST -> AtmMaintenanceTooLong, "
                  "AtmSupervisorModeTooLong",
                  named(maintenance_atm()),
                  LocalTime(calendar_, start_unix_ms_ - kMaintenanceForMs)),
      fmt::format("{}: dispenser fatal since {} JST, no transaction -> AtmComponentFatal, AtmDown",
                  named(dispenser_atm()),
                  LocalTime(calendar_, start_unix_ms_ - kDispenserFailedForMs)),
      fmt::format("{}: loaded for a quarter of a day at its last visit ({} {} JST) -> "
                  "AtmCashOutBeforeVisit",
                  named(cash_short_atm()),
                  engine::FormatDate(calendar_.LocalDate(last_visit_unix_ms_)),
                  LocalTime(calendar_, last_visit_unix_ms_)),
  };
}

void DemoFleet::AppendLine(std::size_t atm, std::int64_t time_unix_ms,
                           std::vector<v1::Envelope>* out) {
  if (atm != flapping_atm() || time_unix_ms < start_unix_ms_ - kFlappingForMs) {
    out->push_back(fleet_.LineSession(atm, time_unix_ms));
  }
}

v1::Envelope DemoFleet::HeartbeatOf(std::size_t atm, std::int64_t time_unix_ms) const {
  v1::Envelope heartbeat = fleet_.Heartbeat(fleet_.atms()[atm], time_unix_ms);
  if (atm != dispenser_atm() || time_unix_ms < start_unix_ms_ - kDispenserFailedForMs) {
    return heartbeat;
  }
  for (auto& component : *heartbeat.mutable_status()->mutable_components()) {
    if (component.kind() != v1::AtmStatus::Component::DISPENSER) continue;
    component.set_severity(v1::AtmStatus::Component::FATAL);
    component.set_code(kDispenserFault);
  }
  return heartbeat;
}

void DemoFleet::AppendCardsRetained(std::int64_t from_unix_ms, std::int64_t to_unix_ms,
                                    std::vector<v1::Envelope>* out) const {
  for (std::size_t atm = 0; atm < fleet_.atms().size(); ++atm) {
    const std::int64_t offset = static_cast<std::int64_t>(atm) * kCardStaggerMs % kCardEveryMs;
    for (std::int64_t t = CeilTo(from_unix_ms - offset, kCardEveryMs) + offset; t < to_unix_ms;
         t += kCardEveryMs) {
      v1::Envelope event;
      event.set_time_unix_ms(t);
      event.mutable_card_retained()->set_atm_id(fleet_.atms()[atm].id);
      event.mutable_card_retained()->set_reason(v1::CardRetained::CUSTOMER_TIMEOUT);
      out->push_back(std::move(event));
    }
  }
}

void DemoFleet::AppendVisit(std::size_t atm, std::int64_t time_unix_ms,
                            std::vector<v1::Envelope>* out) const {
  const double days =
      atm == cash_short_atm() && time_unix_ms == last_visit_unix_ms_ ? 0.25 : kDaysLoaded;
  const auto notes = static_cast<int>(std::min<double>(
      std::ceil(daily_transactions_[atm] * days * kYenPerTransactionLoaded / 10000),
      16.0 * kNotesPerCassette));
  for (const auto kind : {v1::CashEvent::REPLENISHMENT, v1::CashEvent::COUNT}) {
    v1::Envelope event;
    event.set_time_unix_ms(time_unix_ms);
    v1::CashEvent* cash = event.mutable_cash();
    cash->set_atm_id(fleet_.atms()[atm].id);
    cash->set_kind(kind);
    for (int left = notes; left > 0; left -= kNotesPerCassette) {
      v1::CashEvent::Cassette* cassette = cash->add_cassettes();
      cassette->set_denomination_yen(10000);
      cassette->set_notes(std::min(left, kNotesPerCassette));
    }
    if (kind == v1::CashEvent::REPLENISHMENT) cash->set_cost_yen(kVisitCostYen);
    out->push_back(std::move(event));
  }
}

void DemoFleet::AppendEvents(std::int64_t from_unix_ms, std::int64_t to_unix_ms,
                             std::vector<v1::Envelope>* out) {
  if (to_unix_ms <= from_unix_ms) return;
  const std::size_t first = out->size();
  const std::int64_t middle = from_unix_ms + (to_unix_ms - from_unix_ms) / 2;
  std::uniform_int_distribution<std::int64_t> when(from_unix_ms, to_unix_ms - 1);
  for (std::size_t atm = 0; atm < fleet_.atms().size(); ++atm) {
    const double mean = RatePerMs(atm, middle) * static_cast<double>(to_unix_ms - from_unix_ms);
    std::poisson_distribution<int> arrivals(mean);
    for (int n = mean > 0 ? arrivals(rng_) : 0; n > 0; --n) {
      const std::int64_t time = when(rng_);
      if (RatePerMs(atm, time) > 0) out->push_back(fleet_.TransactionAt(atm, time));
    }
  }
  for (std::int64_t t = CeilTo(from_unix_ms, kSignOfLifeMs); t < to_unix_ms; t += kSignOfLifeMs) {
    for (std::size_t atm = 0; atm < fleet_.atms().size(); ++atm) {
      out->push_back(HeartbeatOf(atm, t));
      AppendLine(atm, t, out);
    }
  }

  const std::int64_t maintenance_from = start_unix_ms_ - kMaintenanceForMs;
  if (maintenance_from >= from_unix_ms && maintenance_from < to_unix_ms) {
    v1::Envelope status;
    status.set_time_unix_ms(maintenance_from);
    status.mutable_status()->set_atm_id(fleet_.atms()[maintenance_atm()].id);
    status.mutable_status()->set_state(v1::AtmStatus::MAINTENANCE);
    status.mutable_status()->set_detail("card reader replacement");
    out->push_back(std::move(status));
  }

  // The dispenser's failure as it happens, before the next heartbeat says so.
  const std::int64_t dispenser_failed = start_unix_ms_ - kDispenserFailedForMs;
  if (dispenser_failed >= from_unix_ms && dispenser_failed < to_unix_ms) {
    v1::Envelope status;
    status.set_time_unix_ms(dispenser_failed);
    status.mutable_status()->set_atm_id(fleet_.atms()[dispenser_atm()].id);
    auto* component = status.mutable_status()->add_components();
    component->set_kind(v1::AtmStatus::Component::DISPENSER);
    component->set_severity(v1::AtmStatus::Component::FATAL);
    component->set_code(kDispenserFault);
    out->push_back(std::move(status));
  }
  AppendCardsRetained(from_unix_ms, to_unix_ms, out);

  // The flapping line: down (DETACH) at each cycle's start, up again in a
  // new session kFlapDownMs later.
  const SimulatedAtm& flapping = fleet_.atms()[flapping_atm()];
  const std::int64_t flap_from = std::max(from_unix_ms, start_unix_ms_ - kFlappingForMs);
  for (std::int64_t t = CeilTo(flap_from, kFlapDownMs); t < to_unix_ms; t += kFlapDownMs) {
    const std::int64_t phase = t % kFlapCycleMs;
    if (phase != 0 && phase != kFlapDownMs) continue;
    v1::Envelope event;
    event.set_time_unix_ms(t);
    auto* line = event.mutable_line();
    line->set_line_id(flapping.line_id);
    line->set_carrier(flapping.carrier);
    if (phase == 0) {
      line->set_kind(v1::LineEvent::DETACH);
    } else {
      line->set_kind(v1::LineEvent::SESSION_START);
      line->set_session_id(
          fmt::format("{}-flap-{:x}-{}", flapping.line_id, start_unix_ms_, ++flap_sessions_));
    }
    out->push_back(std::move(event));
  }

  for (std::int64_t day = calendar_.LocalDayNumber(from_unix_ms);; ++day) {
    const std::int64_t visit = calendar_.LocalMidnightUnixMs(day) + kVisitMinute * kMinuteMs;
    if (visit >= to_unix_ms) break;
    if (visit < from_unix_ms ||
        (kVisitWeekdays & (1U << calendar_.LocalWeekday(visit).c_encoding())) == 0) {
      continue;
    }
    for (std::size_t atm = 0; atm < fleet_.atms().size(); ++atm) AppendVisit(atm, visit, out);
  }

  // Each ATM's events in time order, as a real source sends them.
  std::stable_sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
                   [](const v1::Envelope& a, const v1::Envelope& b) {
                     return a.time_unix_ms() < b.time_unix_ms();
                   });
}

}  // namespace atmwatch::cli
