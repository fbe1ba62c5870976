#pragma once

// The site report (engine/site_report.h) as a table, CSV and JSON. Cells
// without a figure (availability outside the kept days, a site without a
// share) are "-" in the table, empty in CSV and null in JSON.

#include <string>

#include "engine/site_report.h"

namespace atmwatch::engine {

std::string FormatSiteTable(const SiteReport& report);
std::string FormatSiteCsv(const SiteReport& report);
std::string FormatSiteJson(const SiteReport& report);

}  // namespace atmwatch::engine
