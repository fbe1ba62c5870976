#include "config/sections/sites.h"

#include <yaml-cpp/yaml.h>

#include "config/sections/business_hours.h"

namespace atmwatch::config {

Status ReadSites(const FieldReader& fields, const YAML::Node& n,
                 const engine::BusinessHours& default_hours,
                 std::map<std::string, engine::BusinessHours>* hours_out,
                 std::map<std::string, double>* shares) {
  if (!n.IsMap()) {
    return fields.Error(n, "sites", "must be a map of site name to {hours: ..., site_share: ...}");
  }
  for (const auto& item : n) {
    std::string name;
    if (Status s = fields.ReadScalar(item.first, "sites", &name); !s.ok()) return s;
    const std::string path = KeyPath("sites", name);
    if (Status s = fields.CheckMapKeys(item.second, path, {"hours", "site_share"}); !s.ok())
      return s;
    engine::BusinessHours hours = default_hours;
    if (auto v = item.second["hours"]) {
      if (Status s = ReadHours(fields, v, KeyPath(path, "hours"), &hours); !s.ok()) return s;
    }
    if (auto v = item.second["site_share"]) {
      double share = 0;
      if (Status s = fields.ReadShare(v, KeyPath(path, "site_share"), 0, 1, "0.3 for 30%", &share);
          !s.ok()) {
        return s;
      }
      (*shares)[name] = share;
    }
    (*hours_out)[name] = hours;
  }
  return Status::Ok();
}

}  // namespace atmwatch::config
