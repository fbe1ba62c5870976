#include "config/sections/inventory.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "config/sections/business_hours.h"

namespace atmwatch::config {
namespace {

Status ReadAtm(const FieldReader& fields, const YAML::Node& n, const std::string& path,
               const engine::BusinessHours& default_hours, engine::InventoryEntry* atm) {
  if (Status s = fields.CheckMapKeys(
          n, path, {"id", "site", "region", "installed", "line_id", "carrier", "hours"});
      !s.ok()) {
    return s;
  }
  if (!n["id"]) return fields.Error(n, path + ".id", "every ATM needs an id, e.g. id: ATM0001");
  if (Status s = fields.ReadScalar(n["id"], path + ".id", &atm->id); !s.ok()) return s;
  if (atm->id.empty() || atm->id.size() > 64) {
    return fields.Error(n["id"], path + ".id", "must be 1..64 bytes; write a shorter id");
  }
  Status s;
  const std::pair<const char*, std::string*> text_fields[] = {{"site", &atm->site},
                                                              {"region", &atm->region},
                                                              {"line_id", &atm->line_id},
                                                              {"carrier", &atm->carrier}};
  for (const auto& [key, value] : text_fields) {
    if (auto v = n[key]; s.ok() && v) s = fields.ReadScalar(v, KeyPath(path, key), value);
  }
  if (auto v = n["installed"]; s.ok() && v) {
    std::chrono::year_month_day installed;
    s = fields.ReadDate(v, path + ".installed", &installed);
    // The date as written: ReadDate takes only the one YYYY-MM-DD form.
    if (s.ok()) atm->installed = engine::FormatDate(installed);
  }
  if (auto v = n["hours"]; s.ok() && v) {
    engine::BusinessHours hours = default_hours;
    s = ReadHours(fields, v, path + ".hours", &hours);
    if (s.ok()) atm->hours = hours;
  }
  return s;
}

}  // namespace

Status ReadInventory(const FieldReader& fields, const YAML::Node& list,
                     const engine::BusinessHours& default_hours,
                     std::vector<engine::InventoryEntry>* out) {
  if (Status s = fields.CheckSequence(list, "atms", "an ATM {id: ..., site: ...}"); !s.ok()) {
    return s;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    engine::InventoryEntry atm;
    if (Status s = ReadAtm(fields, list[i], ItemPath("atms", i), default_hours, &atm); !s.ok())
      return s;
    if (!seen.insert(atm.id).second) {
      return fields.Error(list[i]["id"], ItemPath("atms", i) + ".id",
                          fmt::format("'{}' is listed twice; ids must be unique", atm.id));
    }
    out->push_back(std::move(atm));
  }
  return Status::Ok();
}

}  // namespace atmwatch::config
