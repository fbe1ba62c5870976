#include "cli/trust_networks.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "engine/usage_baseline.h"

namespace atmwatch::cli {
namespace {

namespace chrono = std::chrono;
using v1::AtmTransaction;

constexpr int kHoursPerDay = 24;
constexpr int64_t kMsPerHour = 3'600'000;
// The README's fact: the fleet was complete by the end of March 2009.
constexpr chrono::year_month_day kFleetCompleteBy = chrono::year(2009) / 3 / 31;

// Card issuers by share of withdrawals: city banks, regional banks, Japan Post.
constexpr std::array<const char*, 8> kIssuers = {"0001", "0005", "0009", "0010",
                                                 "0017", "0033", "0177", "9900"};
constexpr std::array<double, 8> kIssuerShares = {0.22, 0.2, 0.14, 0.1, 0.08, 0.06, 0.05, 0.15};

// A fee schedule that pays (almost) nothing must not make a quarter endless:
// past this many transactions the rest of the revenue is other revenue.
constexpr std::size_t kMaxTransactionsPerQuarter = 5'000'000;

// Reversals follow their withdrawal by about a minute.
constexpr int64_t kReversalDelayMs = 60'000;

int64_t DayOf(chrono::year_month_day date) { return engine::DayNumberOf(date); }

}  // namespace

TrustNetworksHistory::TrustNetworksHistory(std::vector<QuarterFigures> quarters,
                                           engine::Calendar calendar, engine::FeeSchedule fees,
                                           std::uint64_t seed)
    : quarters_(std::move(quarters)),
      calendar_(std::move(calendar)),
      fees_(std::move(fees)),
      seed_(seed),
      identities_(kFleetSize, seed) {
  PlanFleet();
  PlanUsageLevels();
}

void TrustNetworksHistory::PlanUsageLevels() {
  for (const QuarterFigures& quarter : quarters_) {
    const int64_t first = DayOf(quarter.start);
    const int64_t last = DayOf(quarter.end);
    int64_t atm_days = 0;
    for (const int64_t installed : installed_)
      atm_days += std::max<int64_t>(0, last - std::max(first, installed) + 1);
    level_.push_back(atm_days > 0
                         ? static_cast<double>(quarter.revenue_yen) / static_cast<double>(atm_days)
                         : 0.0);
    middle_.push_back(static_cast<double>(first + last) / 2);
  }
}

double TrustNetworksHistory::DayWeight(std::size_t index, int64_t day) const {
  const double level = level_[index];
  if (quarters_.size() < 2 || level <= 0) return 1.0;
  // The neighbour on the day's side of the middle; past the first or last
  // quarter's middle, the line through the other neighbour goes on.
  const double x = static_cast<double>(day);
  std::size_t other = x <= middle_[index] ? index - 1 : index + 1;
  if (index == 0 && x <= middle_[index]) other = 1;
  if (index + 1 == quarters_.size() && x > middle_[index]) other = index - 1;
  const double slope = (level_[other] - level) / (middle_[other] - middle_[index]);
  // Never below a fifth of the quarter's level: a steep step must not
  // leave days without use.
  return std::max(level + slope * (x - middle_[index]), 0.2 * level) / level;
}

void TrustNetworksHistory::PlanFleet() {
  // The quarter the fleet was complete in sets the cost of a full fleet.
  int64_t full_fleet_cost = 0;
  for (const QuarterFigures& quarter : quarters_) {
    if (DayOf(quarter.end) <= DayOf(kFleetCompleteBy)) {
      full_fleet_cost = std::max(full_fleet_cost, quarter.cost_yen);
    }
  }
  int placed = 0;
  for (const QuarterFigures& quarter : quarters_) {
    int target = kFleetSize;
    if (DayOf(quarter.end) < DayOf(kFleetCompleteBy) && full_fleet_cost > 0) {
      target = static_cast<int>(std::lround(static_cast<double>(kFleetSize) * quarter.cost_yen /
                                            static_cast<double>(full_fleet_cost)));
    }
    target = std::clamp(target, std::max(placed, 1), kFleetSize);
    const int64_t first = DayOf(quarter.start);
    const int64_t days = DayOf(quarter.end) - first + 1;
    for (int atm = placed; atm < target; ++atm) {
      installed_.push_back(first + (atm - placed) * days / (target - placed));
    }
    placed = target;
    fleet_at_end_.push_back(placed);
  }
  // Quarters before the ones listed never happen; ATMs a shrinking table
  // would leave unplaced go in on the last day.
  while (installed_.size() < static_cast<std::size_t>(kFleetSize)) {
    installed_.push_back(DayOf(quarters_.back().end));
  }
}

std::string TrustNetworksHistory::InventoryYaml() const {
  std::string yaml = "atms:\n";
  for (std::size_t i = 0; i < identities_.atms().size(); ++i) {
    const SimulatedAtm& atm = identities_.atms()[i];
    yaml += fmt::format(
        "  - {{id: {}, site: \"{}\", region: {}, installed: {}, line_id: \"{}\", "
        "carrier: {}}}\n",
        atm.id, atm.site, atm.region, engine::FormatDate(engine::DateOfDayNumber(installed_[i])),
        atm.line_id, atm.carrier);
  }
  return yaml;
}

int64_t TrustNetworksHistory::CommissionOf(const PlannedTransaction& planned,
                                           AtmTransaction& scratch) const {
  scratch.set_type(static_cast<AtmTransaction::Type>(planned.type));
  scratch.set_result(static_cast<AtmTransaction::Result>(planned.result));
  scratch.set_issuer(kIssuers[planned.issuer]);
  return fees_.Commission(scratch, calendar_.DayClassAt(planned.time_unix_ms),
                          calendar_.MinuteOfDay(planned.time_unix_ms));
}

QuarterPlan TrustNetworksHistory::PlanQuarter(std::size_t index) const {
  const QuarterFigures& quarter = quarters_[index];
  std::mt19937_64 rng(seed_ * 1'000'003 + index);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::discrete_distribution<int> issuer(kIssuerShares.begin(), kIssuerShares.end());

  // Cells (day, ATM, hour) weighted by popularity and the hour of the week.
  const int64_t first_day = DayOf(quarter.start);
  const int64_t days = DayOf(quarter.end) - first_day + 1;
  const std::size_t atms = identities_.atms().size();
  std::vector<double> weights(static_cast<std::size_t>(days) * atms * kHoursPerDay, 0.0);
  for (int64_t d = 0; d < days; ++d) {
    const int profile = engine::UsageBaseline::ProfileOf(calendar_, first_day + d);
    const double day_weight = DayWeight(index, first_day + d);
    for (std::size_t atm = 0; atm < atms; ++atm) {
      if (installed_[atm] > first_day + d) continue;
      for (int hour = 0; hour < kHoursPerDay; ++hour) {
        weights[(static_cast<std::size_t>(d) * atms + atm) * kHoursPerDay + hour] =
            day_weight * identities_.atms()[atm].popularity * LiveFleet::HourShape(profile, hour);
      }
    }
  }
  std::discrete_distribution<std::size_t> cell(weights.begin(), weights.end());

  QuarterPlan plan;
  AtmTransaction scratch;
  while (plan.transactions.size() < kMaxTransactionsPerQuarter) {
    const std::size_t drawn = cell(rng);
    const int64_t day = first_day + static_cast<int64_t>(drawn / (atms * kHoursPerDay));
    PlannedTransaction tx;
    tx.atm = static_cast<uint16_t>(drawn / kHoursPerDay % atms);
    tx.time_unix_ms = calendar_.LocalMidnightUnixMs(day) +
                      static_cast<int64_t>(drawn % kHoursPerDay) * kMsPerHour +
                      static_cast<int64_t>(unit(rng) * kMsPerHour);
    tx.issuer = static_cast<uint8_t>(issuer(rng));
    const double kind = unit(rng);
    tx.type = kind < 0.9    ? AtmTransaction::WITHDRAWAL
              : kind < 0.97 ? AtmTransaction::BALANCE_INQUIRY
                            : AtmTransaction::TRANSFER;
    const double outcome = unit(rng);
    tx.result = outcome < 0.955  ? AtmTransaction::APPROVED
                : outcome < 0.99 ? AtmTransaction::DECLINED
                                 : AtmTransaction::ERROR;
    if (tx.result == AtmTransaction::APPROVED && tx.type == AtmTransaction::WITHDRAWAL) {
      // Parlor withdrawals are round 10,000-yen notes, mostly one to three.
      tx.amount_yen = 10000 * (1 + static_cast<int>(unit(rng) * unit(rng) * 5));
    } else if (tx.result == AtmTransaction::APPROVED && tx.type == AtmTransaction::TRANSFER) {
      tx.amount_yen = 1000 * (1 + static_cast<int>(unit(rng) * 50));
    }
    const int64_t commission = CommissionOf(tx, scratch);
    if (plan.commission_yen + commission > quarter.revenue_yen) break;
    plan.transactions.push_back(tx);
    plan.commission_yen += commission;
    if (tx.type == AtmTransaction::WITHDRAWAL && tx.result == AtmTransaction::APPROVED &&
        unit(rng) < 0.003) {
      PlannedTransaction reversal = tx;
      reversal.result = AtmTransaction::REVERSED;
      reversal.time_unix_ms = std::min(tx.time_unix_ms + kReversalDelayMs,
                                       calendar_.LocalMidnightUnixMs(DayOf(quarter.end) + 1) - 1);
      plan.transactions.push_back(reversal);
      plan.commission_yen += CommissionOf(reversal, scratch);
    }
  }
  std::sort(plan.transactions.begin(), plan.transactions.end(),
            [](const PlannedTransaction& a, const PlannedTransaction& b) {
              return a.time_unix_ms < b.time_unix_ms;
            });
  plan.other_revenue_yen = quarter.revenue_yen - plan.commission_yen;
  plan.ledger = LedgerEntries(quarter, plan.other_revenue_yen);
  return plan;
}

std::vector<v1::Envelope> TrustNetworksHistory::LedgerEntries(const QuarterFigures& quarter,
                                                              int64_t other_revenue_yen) const {
  std::vector<v1::Envelope> entries;
  const auto book = [&](v1::LedgerEntry::Category category, int64_t yen,
                        chrono::year_month_day date, const std::string& memo) {
    v1::Envelope event;
    // Booked in the evening of its date, local time.
    event.set_time_unix_ms(calendar_.LocalMidnightUnixMs(DayOf(date)) + 23 * kMsPerHour);
    auto* entry = event.mutable_ledger();
    entry->set_category(category);
    entry->set_amount_yen(yen);
    entry->set_booking_date(engine::FormatDate(date));
    entry->set_memo(memo);
    entry->set_entry_ref(fmt::format("{}-{}-{}", quarter.label, static_cast<int>(category),
                                     engine::FormatDate(date)));
    entries.push_back(std::move(event));
  };
  // Monthly bookings on each month's last day; the last month takes the rounding.
  const chrono::year_month first_month = quarter.start.year() / quarter.start.month();
  for (const auto& [category, total, memo] :
       {std::tuple{v1::LedgerEntry::COST, quarter.cost_yen, "ATM operation cost"},
        std::tuple{v1::LedgerEntry::EXPENSE, quarter.expenses_yen, "SG&A"}}) {
    int64_t booked = 0;
    for (int month = 0; month < 3; ++month) {
      const int64_t yen = month < 2 ? total / 3 : total - booked;
      booked += yen;
      const chrono::year_month_day last_day = (first_month + chrono::months(month)) / chrono::last;
      book(category, yen, std::min(last_day, quarter.end), memo);
    }
  }
  if (other_revenue_yen != 0) {
    book(v1::LedgerEntry::OTHER_REVENUE, other_revenue_yen, quarter.end,
         "revenue beyond withdrawal commission");
  }
  return entries;
}

v1::Envelope TrustNetworksHistory::ToEnvelope(const PlannedTransaction& planned) const {
  v1::Envelope event;
  event.set_time_unix_ms(planned.time_unix_ms);
  auto* tx = event.mutable_transaction();
  tx->set_atm_id(identities_.atms()[planned.atm].id);
  tx->set_type(static_cast<AtmTransaction::Type>(planned.type));
  tx->set_result(static_cast<AtmTransaction::Result>(planned.result));
  tx->set_amount_yen(planned.amount_yen);
  tx->set_issuer(kIssuers[planned.issuer]);
  return event;
}

}  // namespace atmwatch::cli
