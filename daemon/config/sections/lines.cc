#include "config/sections/lines.h"

#include <yaml-cpp/yaml.h>

namespace atmwatch::config {

Status ReadLines(const FieldReader& fields, const YAML::Node& n, DaemonConfig::Lines* out) {
  if (Status s = fields.CheckMapKeys(n, "lines", {"interim_interval", "flap_window", "max_lines"});
      !s.ok()) {
    return s;
  }
  Status s;
  if (auto v = n["interim_interval"]; s.ok() && v) {
    s = fields.ReadDurationUpTo(v, "lines.interim_interval", 24LL * 3600 * 1000,
                                &out->interim_interval_ms);
  }
  if (auto v = n["flap_window"]; s.ok() && v) {
    s = fields.ReadDurationUpTo(v, "lines.flap_window", 24LL * 3600 * 1000, &out->flap_window_ms);
  }
  if (auto v = n["max_lines"]; s.ok() && v) {
    s = fields.ReadSize(v, "lines.max_lines", 1, 100000000, &out->max_lines);
  }
  return s;
}

}  // namespace atmwatch::config
