#pragma once

// The calendar's top-level keys: `timezone` ("+09:00"), `fiscal_year_start_month`
// (1..12) and `holidays` (a list of YYYY-MM-DD), see engine/calendar.h.

#include "common/status.h"
#include "config/config_field.h"
#include "engine/calendar.h"

namespace atmwatch::config {

// Reads the top-level keys `timezone`, `fiscal_year_start_month` and
// `holidays` of the config document `root`; each one absent keeps its
// default. Other top-level keys belong to other readers and are not checked
// here. Errors name the key, the line and the fix; *out is left untouched.
Status ReadCalendar(const FieldReader& fields, const YAML::Node& root, engine::Calendar* out);

}  // namespace atmwatch::config
