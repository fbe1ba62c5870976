#include "engine/site_report_format.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string_view>

#include "engine/report_text.h"

namespace atmwatch::engine {
namespace {

constexpr Availability kShown[] = {Availability::kHardware, Availability::kComms,
                                   Availability::kCardholder};

bool Covered(const SiteReport& report) { return report.covered.days() > 0; }

std::string Fixed(double value, const char* format) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

// A share of 0..1 as the table prints it: "99.50%", "-" without a figure.
std::string Percent(std::optional<double> share) {
  return share ? Fixed(100.0 * *share, "%.2f%%") : "-";
}

// Ratios in CSV and JSON: six decimals, enough for a second in a month.
std::string Ratio(std::optional<double> share, const char* absent) {
  return share ? Fixed(*share, "%.6f") : absent;
}

std::string Seconds(const SiteReport& report, int64_t seconds, const char* absent) {
  return Covered(report) ? std::to_string(seconds) : absent;
}

std::string CoverageLine(const SiteReport& report) {
  return "availability over " + std::to_string(report.covered.days()) + " of " +
         std::to_string(report.days.days()) + " days (the " +
         std::to_string(AtmAvailability::kKeptDays) + " most recent days are kept)";
}

// The widths of the site and ATM columns: their longest name and a gap.
struct NameWidths {
  int site = 0;
  int atm = 0;
};

NameWidths NameWidthsOf(const SiteReport& report) {
  std::size_t site = std::string_view("Site").size();
  std::size_t atm = std::string_view("(all)").size();
  for (const SiteRow& row : report.sites) {
    site = std::max(site, row.site.size());
    for (const SiteAtmRow& a : row.atms) atm = std::max(atm, a.atm.size());
  }
  return {static_cast<int>(site) + 2, static_cast<int>(atm) + 2};
}

std::string TableLine(const NameWidths& widths, const std::string& site, const std::string& atm,
                      const SiteFigures& f, const SiteReport& report,
                      const std::string& share_yen) {
  std::string line = PadRight(site, widths.site) + PadRight(atm, widths.atm) +
                     PadLeft(std::to_string(f.withdrawals), 12) +
                     PadLeft(std::to_string(f.commission_yen), 14);
  for (Availability a : kShown) {
    line += PadLeft(Covered(report) ? Percent(f.AvailabilityOf(a)) : "-", 12);
  }
  line += PadLeft(Percent(f.Authorization()), 14);
  // An ATM's line has no share cell: nothing to pad to.
  return (share_yen.empty() ? line : line + PadLeft(share_yen, 14)) + "\n";
}

std::string CsvLine(const std::string& site, const std::string& atm, const SiteFigures& f,
                    const SiteReport& report, const std::string& share_yen) {
  std::string line =
      site + "," + atm + "," + std::to_string(f.withdrawals) + "," +
      std::to_string(f.commission_yen) + "," + std::to_string(f.withdrawal_attempts) + "," +
      std::to_string(f.withdrawal_errors) + "," + Seconds(report, f.business_seconds, "");
  for (Availability a : kShown) {
    line += "," + Seconds(report, f.good_seconds[AvailabilityIndex(a)], "");
  }
  return line + "," + share_yen + "\n";
}

std::string JsonFigures(const SiteFigures& f, const SiteReport& report) {
  std::string json = "\"withdrawals\":" + std::to_string(f.withdrawals) +
                     ",\"commission_yen\":" + std::to_string(f.commission_yen) +
                     ",\"withdrawal_attempts\":" + std::to_string(f.withdrawal_attempts) +
                     ",\"withdrawal_errors\":" + std::to_string(f.withdrawal_errors) +
                     ",\"authorization\":" + Ratio(f.Authorization(), "null") +
                     ",\"business_seconds\":" + Seconds(report, f.business_seconds, "null");
  for (Availability a : kShown) {
    const std::string name(AvailabilityName(a));
    json += ",\"" + name +
            "_seconds\":" + Seconds(report, f.good_seconds[AvailabilityIndex(a)], "null") + ",\"" +
            name + "\":" + (Covered(report) ? Ratio(f.AvailabilityOf(a), "null") : "null");
  }
  return json;
}

// Site names come from the config; they may hold any character.
std::string JsonString(const std::string& text) {
  std::string json = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      json += '\\';
      json += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      json += escaped;
    } else {
      json += c;
    }
  }
  return json + "\"";
}

// A CSV cell quoted when it holds a comma, quote or line break.
std::string CsvCell(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string cell = "\"";
  for (char c : text) {
    if (c == '"') cell += '"';
    cell += c;
  }
  return cell + "\"";
}

}  // namespace

std::string FormatSiteTable(const SiteReport& report) {
  std::string table = "Site report " + MonthLabel(report.month) + ": " + CoverageLine(report) +
                      "; downtime incidents: not yet\n";
  const NameWidths widths = NameWidthsOf(report);
  table += PadRight("Site", widths.site) + PadRight("ATM", widths.atm) +
           PadLeft("Withdrawals", 12) + PadLeft("Commission", 14) + PadLeft("Hardware", 12) +
           PadLeft("Comms", 12) + PadLeft("Cardholder", 12) + PadLeft("Authorization", 14) +
           PadLeft("Site share", 14) + "\n";
  for (const SiteRow& site : report.sites) {
    table += TableLine(widths, site.site, "(all)", site.figures, report,
                       site.share_yen ? std::to_string(*site.share_yen) : "-");
    for (const SiteAtmRow& atm : site.atms) {
      table += TableLine(widths, "", atm.atm, atm.figures, report, "");
    }
  }
  return table;
}

std::string FormatSiteCsv(const SiteReport& report) {
  std::string csv =
      "site,atm,withdrawals,commission_yen,withdrawal_attempts,withdrawal_errors,"
      "business_seconds,hardware_seconds,comms_seconds,cardholder_seconds,site_share_yen\n";
  for (const SiteRow& site : report.sites) {
    const std::string name = CsvCell(site.site);
    csv += CsvLine(name, "", site.figures, report,
                   site.share_yen ? std::to_string(*site.share_yen) : "");
    for (const SiteAtmRow& atm : site.atms) {
      csv += CsvLine(name, CsvCell(atm.atm), atm.figures, report, "");
    }
  }
  return csv;
}

std::string FormatSiteJson(const SiteReport& report) {
  std::string json = "{\"month\":\"" + MonthLabel(report.month) +
                     "\",\"days\":" + std::to_string(report.days.days()) +
                     ",\"days_covered\":" + std::to_string(report.covered.days()) + ",\"sites\":[";
  bool first_site = true;
  for (const SiteRow& site : report.sites) {
    json += first_site ? "{" : ",{";
    first_site = false;
    json += "\"site\":" + JsonString(site.site) + "," + JsonFigures(site.figures, report) +
            ",\"site_share\":" + (site.share ? Fixed(*site.share, "%g") : "null") +
            ",\"site_share_yen\":" + (site.share_yen ? std::to_string(*site.share_yen) : "null") +
            ",\"atms\":[";
    bool first_atm = true;
    for (const SiteAtmRow& atm : site.atms) {
      json += (first_atm ? "{" : ",{") + std::string("\"atm\":") + JsonString(atm.atm) + "," +
              JsonFigures(atm.figures, report) + "}";
      first_atm = false;
    }
    json += "]}";
  }
  return json + "]}\n";
}

}  // namespace atmwatch::engine
