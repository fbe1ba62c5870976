#include "engine/site_report.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

#include "engine/engine.h"

namespace atmwatch::engine {
namespace {

using std::chrono::year_month;

constexpr int kError = 3;  // v1::AtmTransaction::ERROR

DayRange DaysOf(year_month month) {
  return {DayNumberOf(month / 1), DayNumberOf(month / std::chrono::last)};
}

SiteFigures FiguresOf(const EngineView& view, AtmIndex atm, DayRange days, DayRange covered,
                      int64_t now_unix_ms) {
  SiteFigures figures;
  const UsageTotals usage = view.usage.AtmTotals(atm, days);
  figures.withdrawals = usage.Count(kWithdrawal, kApproved);
  figures.commission_yen = usage.commission_yen;
  for (int result = 1; result <= kTransactionResults; ++result) {
    // A reversal takes back an approved withdrawal: not a second attempt.
    if (result != kReversed) figures.withdrawal_attempts += usage.Count(kWithdrawal, result);
  }
  figures.withdrawal_errors = usage.Count(kWithdrawal, kError);
  const BusinessHours& hours = view.hours.Of(atm);
  const AtmAvailability& availability = view.atms[atm].availability;
  for (int64_t day = covered.first; day <= covered.last; ++day) {
    figures.business_seconds += hours.SecondsSoFar(view.calendar, day, now_unix_ms);
    for (std::size_t a = 0; a < kAvailabilityCount; ++a) {
      figures.good_seconds[a] += availability.AvailableOn(day, static_cast<Availability>(a));
    }
  }
  return figures;
}

// Whether an ATM outside the inventory shows in the month at all.
bool Seen(const SiteFigures& figures) {
  if (figures.withdrawal_attempts > 0 || figures.commission_yen != 0) return true;
  for (int64_t good : figures.good_seconds) {
    if (good > 0) return true;
  }
  return false;
}

}  // namespace

std::optional<double> SiteFigures::AvailabilityOf(Availability availability) const {
  if (business_seconds <= 0) return std::nullopt;
  return static_cast<double>(good_seconds[AvailabilityIndex(availability)]) /
         static_cast<double>(business_seconds);
}

std::optional<double> SiteFigures::Authorization() const {
  if (withdrawal_attempts == 0) return std::nullopt;
  return static_cast<double>(withdrawal_attempts - withdrawal_errors) /
         static_cast<double>(withdrawal_attempts);
}

void SiteFigures::Add(const SiteFigures& other) {
  withdrawals += other.withdrawals;
  commission_yen += other.commission_yen;
  withdrawal_attempts += other.withdrawal_attempts;
  withdrawal_errors += other.withdrawal_errors;
  business_seconds += other.business_seconds;
  for (std::size_t a = 0; a < kAvailabilityCount; ++a) good_seconds[a] += other.good_seconds[a];
}

SiteReport BuildSiteReport(const EngineView& view, year_month month, int64_t now_unix_ms) {
  SiteReport report;
  report.month = month;
  report.days = DaysOf(month);
  const int64_t today = view.calendar.LocalDayNumber(now_unix_ms);
  report.covered = Intersect(report.days, {today - AtmAvailability::kKeptDays + 1, today});
  std::map<std::string, std::map<std::string, SiteFigures>> by_site;
  for (AtmIndex atm = 0; atm < view.fleet.size(); ++atm) {
    const InventoryEntry* entry = view.fleet.inventory(atm);
    SiteFigures figures = FiguresOf(view, atm, report.days, report.covered, now_unix_ms);
    if (entry == nullptr && !Seen(figures)) continue;
    const std::string site = entry != nullptr ? entry->site : std::string(kUnknownSite);
    by_site[site][view.fleet.id(atm)] = figures;
  }
  for (auto& [site, atms] : by_site) {
    SiteRow row;
    row.site = site;
    for (auto& [atm, figures] : atms) {
      row.figures.Add(figures);
      row.atms.push_back({atm, figures});
    }
    if (auto share = view.site_shares.find(site); share != view.site_shares.end()) {
      row.share = share->second;
      row.share_yen = std::llround(static_cast<double>(row.figures.commission_yen) * share->second);
    }
    report.sites.push_back(std::move(row));
  }
  return report;
}

Status ParseMonth(std::string_view text, year_month* month) {
  int year = 0;
  unsigned number = 0;
  const char* end = text.data() + text.size();
  const bool shaped = text.size() == 7 && text[4] == '-' &&
                      std::from_chars(text.data(), text.data() + 4, year).ptr == text.data() + 4 &&
                      std::from_chars(text.data() + 5, end, number).ptr == end;
  const year_month parsed{std::chrono::year(year), std::chrono::month(number)};
  if (!shaped || !parsed.ok() || text[0] == '-' || text[5] == '-') {
    return Status::Error("'" + std::string(text) + "' is not a month; write YYYY-MM, e.g. 2010-03");
  }
  *month = parsed;
  return Status::Ok();
}

std::string MonthLabel(year_month month) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u", static_cast<int>(month.year()),
                static_cast<unsigned>(month.month()));
  return text;
}

}  // namespace atmwatch::engine
