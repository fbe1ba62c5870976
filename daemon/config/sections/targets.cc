#include "config/sections/targets.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>

namespace atmwatch::config {

Status ReadTargets(const FieldReader& fields, const YAML::Node& n, DaemonConfig::Targets* out) {
  if (Status s = fields.CheckMapKeys(n, "targets", {"mvno_lines"}); !s.ok()) return s;
  if (auto v = n["mvno_lines"]) {
    return fields.ReadIntegerIn(v, "targets.mvno_lines", 0, int64_t{1} << 40, &out->mvno_lines);
  }
  return Status::Ok();
}

}  // namespace atmwatch::config
