#include "config/sections/sites.h"

#include <yaml-cpp/yaml.h>

#include "config/sections/business_hours.h"

namespace atmwatch::config {

Status ReadSites(const FieldReader& fields, const YAML::Node& n,
                 const engine::BusinessHours& default_hours,
                 std::map<std::string, engine::BusinessHours>* out) {
  if (!n.IsMap()) {
    return fields.Error(n, "sites", "must be a map of site name to {hours: ...}");
  }
  for (const auto& item : n) {
    std::string name;
    if (Status s = fields.ReadScalar(item.first, "sites", &name); !s.ok()) return s;
    const std::string path = KeyPath("sites", name);
    if (Status s = fields.CheckMapKeys(item.second, path, {"hours"}); !s.ok()) return s;
    engine::BusinessHours hours = default_hours;
    if (auto v = item.second["hours"]) {
      if (Status s = ReadHours(fields, v, KeyPath(path, "hours"), &hours); !s.ok()) return s;
    }
    (*out)[name] = hours;
  }
  return Status::Ok();
}

}  // namespace atmwatch::config
