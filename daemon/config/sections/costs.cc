#include "config/sections/costs.h"

#include <yaml-cpp/yaml.h>

#include <string>
#include <utility>

namespace atmwatch::config {
namespace {

Status ReadYenField(const FieldReader& fields, const YAML::Node& costs, std::string_view costs_path,
                    std::string_view key, int64_t* out) {
  YAML::Node node = costs[std::string(key)];
  if (!node.IsDefined()) return Status::Ok();
  const std::string path = std::string(costs_path) + "." + std::string(key);
  int64_t yen = 0;
  if (Status status = fields.ReadInteger(node, path, &yen); !status.ok()) return status;
  if (yen < 0) {
    return fields.Error(
        node, path, std::to_string(yen) + " is negative; write the cost as 0 or more whole yen");
  }
  *out = yen;
  return Status::Ok();
}

}  // namespace

Status ReadCosts(const FieldReader& fields, const YAML::Node& costs, engine::CostModel* out) {
  return ReadCostModelAt(fields, costs, "costs", out);
}

Status ReadCostModelAt(const FieldReader& fields, const YAML::Node& costs, std::string_view path,
                       engine::CostModel* out) {
  if (!costs.IsDefined() || costs.IsNull()) {
    *out = engine::CostModel();
    return Status::Ok();
  }
  if (Status status = fields.CheckMapKeys(
          costs, path, {"per_atm_monthly_yen", "fixed_monthly_yen", "per_transaction_yen"});
      !status.ok()) {
    return status;
  }
  engine::CostModel parsed;
  ConfigProblems problems;
  for (auto [key, field] : {std::pair{"per_atm_monthly_yen", &parsed.per_atm_monthly_yen},
                            std::pair{"fixed_monthly_yen", &parsed.fixed_monthly_yen},
                            std::pair{"per_transaction_yen", &parsed.per_transaction_yen}}) {
    problems.Add(ReadYenField(fields, costs, path, key, field));
  }
  if (!problems.empty()) return problems.status();
  *out = parsed;
  return Status::Ok();
}

}  // namespace atmwatch::config
