#pragma once

// The monthly site report: per site, and per ATM of it, what the ATMs
// earned (approved withdrawals, net commission), how available they were
// (hardware, comms, cardholder in business seconds; authorization as the
// share of withdrawals no host or issuer error failed) and the site's share
// of the commission where `site_share` is configured.
//
// Availability comes from each ATM's ring of the AtmAvailability::kKeptDays
// most recent local days (availability.h): days of the month before that
// window (or after today) have none, so the report says which days it
// covers and leaves the availability cells absent when it covers none. Money
// and counts come from DailyUsage's per-ATM detail (400 days by default).
// ATMs outside the inventory are under the site "(unknown)".

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/availability.h"
#include "engine/day_range.h"

namespace atmwatch::engine {

struct EngineView;

inline constexpr std::string_view kUnknownSite = "(unknown)";

// The figures of one ATM, or summed over a site's ATMs.
struct SiteFigures {
  uint64_t withdrawals = 0;  // approved
  int64_t commission_yen = 0;
  // Withdrawals answered approved, declined or error, and those of them
  // failed by an error: the authorization availability's parts.
  uint64_t withdrawal_attempts = 0;
  uint64_t withdrawal_errors = 0;
  // Business seconds of the covered days, and the good seconds of each
  // availability in them.
  int64_t business_seconds = 0;
  std::array<int64_t, kAvailabilityCount> good_seconds{};

  // Good / business seconds; nullopt without business seconds.
  std::optional<double> AvailabilityOf(Availability availability) const;
  // Withdrawals not failed by an error / attempts; nullopt without attempts.
  std::optional<double> Authorization() const;
  void Add(const SiteFigures& other);
};

struct SiteAtmRow {
  std::string atm;
  SiteFigures figures;
};

struct SiteRow {
  std::string site;
  SiteFigures figures;               // its ATMs summed
  std::optional<double> share;       // configured site_share
  std::optional<int64_t> share_yen;  // commission x share, rounded to the yen
  std::vector<SiteAtmRow> atms;      // by ATM id
};

struct SiteReport {
  std::chrono::year_month month;
  DayRange days;               // the month's local days
  DayRange covered;            // those with availability (empty: none)
  std::vector<SiteRow> sites;  // by site name
};

// The month's report as of the local day of now_unix_ms (the availability
// of today counts what is recorded so far).
SiteReport BuildSiteReport(const EngineView& view, std::chrono::year_month month,
                           int64_t now_unix_ms);

// "2010-03" -> March 2010; the error names what to write.
Status ParseMonth(std::string_view text, std::chrono::year_month* month);
std::string MonthLabel(std::chrono::year_month month);  // "2010-03"

}  // namespace atmwatch::engine
