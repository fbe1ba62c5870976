#include "config/sections/plan.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <string>

#include "config/sections/costs.h"
#include "engine/calendar.h"
#include "engine/report_request.h"

namespace atmwatch::config {
namespace {

constexpr int64_t kMaxYen = int64_t{1} << 50;  // a quadrillion yen: beyond any budget

Status ReadMoney(const FieldReader& fields, const YAML::Node& node, const std::string& path,
                 engine::PlanMoney* out) {
  ConfigProblems problems;
  for (auto [key, field] :
       {std::pair{"revenue_yen", &out->revenue_yen}, std::pair{"cost_yen", &out->cost_yen},
        std::pair{"expenses_yen", &out->expenses_yen},
        std::pair{"operating_income_yen", &out->operating_income_yen}}) {
    const YAML::Node value = node[key];
    if (!value) continue;
    // Operating income may be a loss; the rest are amounts.
    const int64_t min = std::string_view(key) == "operating_income_yen" ? -kMaxYen : 0;
    int64_t yen = 0;
    if (problems.Add(fields.ReadIntegerIn(value, path + "." + key, min, kMaxYen, &yen))) {
      *field = yen;
    }
  }
  return problems.status();
}

Status ReadAtms(const FieldReader& fields, const YAML::Node& node, const std::string& path,
                std::optional<int64_t>* out) {
  const YAML::Node value = node["atms"];
  if (!value) return Status::Ok();
  int64_t atms = 0;
  if (Status s = fields.ReadIntegerIn(value, path + ".atms", 0, 10'000'000, &atms); !s.ok()) {
    return s;
  }
  *out = atms;
  return Status::Ok();
}

Status ReadQuarters(const FieldReader& fields, const YAML::Node& node, const std::string& path,
                    engine::FiscalYearPlan* out) {
  if (Status s = fields.CheckMapKeys(node, path, {"1Q", "2Q", "3Q", "4Q"}); !s.ok()) return s;
  ConfigProblems problems;
  for (int q = 1; q <= 4; ++q) {
    const std::string key = std::to_string(q) + "Q";
    const YAML::Node quarter = node[key];
    if (!quarter) continue;
    const std::string quarter_path = path + "." + key;
    engine::QuarterPlan plan{.quarter = q};
    if (!problems.Add(fields.CheckMapKeys(
            quarter, quarter_path,
            {"revenue_yen", "cost_yen", "expenses_yen", "operating_income_yen", "atms"}))) {
      continue;
    }
    problems.Add(ReadMoney(fields, quarter, quarter_path, &plan.budget));
    problems.Add(ReadAtms(fields, quarter, quarter_path, &plan.atms));
    out->quarters.push_back(plan);
  }
  return problems.status();
}

Status ReadFiscalYears(const FieldReader& fields, const YAML::Node& node,
                       std::vector<engine::FiscalYearPlan>* out) {
  if (!node.IsMap()) {
    return fields.Error(node, "plan.fiscal_years",
                        "is not a map; write one entry per fiscal year, e.g. FY2010: {...}");
  }
  ConfigProblems problems;
  for (const auto& entry : node) {
    const std::string name = entry.first.as<std::string>();
    const std::string path = "plan.fiscal_years." + name;
    engine::FiscalYearPlan year;
    if (Status s = engine::ParseFiscalYear(name, &year.fiscal_year); !s.ok()) {
      problems.Add(fields.Error(entry.first, path, s.message()));
      continue;
    }
    const YAML::Node& body = entry.second;
    if (!problems.Add(fields.CheckMapKeys(body, path,
                                          {"revenue_yen", "cost_yen", "expenses_yen",
                                           "operating_income_yen", "atms", "quarters"}))) {
      continue;
    }
    problems.Add(ReadMoney(fields, body, path, &year.budget));
    problems.Add(ReadAtms(fields, body, path, &year.atms));
    if (const YAML::Node quarters = body["quarters"]) {
      problems.Add(ReadQuarters(fields, quarters, path + ".quarters", &year));
    }
    const bool repeated = std::any_of(
        out->begin(), out->end(),
        [&](const engine::FiscalYearPlan& other) { return other.fiscal_year == year.fiscal_year; });
    if (repeated) {
      problems.Add(fields.Error(entry.first, path,
                                "is planned twice (FY2010 and 2010 name the same year); keep one"));
      continue;
    }
    out->push_back(std::move(year));
  }
  std::sort(out->begin(), out->end(),
            [](const auto& a, const auto& b) { return a.fiscal_year < b.fiscal_year; });
  return problems.status();
}

Status ReadWindow(const FieldReader& fields, const YAML::Node& node, engine::DateWindow* out) {
  if (Status s = fields.CheckMapKeys(node, "plan.breakeven", {"from", "to"}); !s.ok()) return s;
  if (!node["from"] || !node["to"]) {
    return fields.Error(node, "plan.breakeven",
                        "needs from and to; write e.g. {from: 2010-10-01, to: 2011-03-31}");
  }
  engine::DateWindow window;
  if (Status s = fields.ReadDate(node["from"], "plan.breakeven.from", &window.first); !s.ok()) {
    return s;
  }
  if (Status s = fields.ReadDate(node["to"], "plan.breakeven.to", &window.last); !s.ok()) {
    return s;
  }
  if (window.last < window.first) {
    return fields.Error(node["to"], "plan.breakeven.to",
                        "comes before plan.breakeven.from; give the later day as to");
  }
  *out = window;
  return Status::Ok();
}

Status ReadCostChanges(const FieldReader& fields, const YAML::Node& node,
                       std::vector<engine::PlannedCostChange>* out) {
  if (Status s = fields.CheckSequence(node, "plan.cost_changes", "a cost change"); !s.ok()) {
    return s;
  }
  ConfigProblems problems;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string path = ItemPath("plan.cost_changes", i);
    const YAML::Node item = node[i];
    if (!problems.Add(fields.CheckMapKeys(item, path, {"from", "costs"}))) continue;
    if (!item["from"] || !item["costs"]) {
      problems.Add(fields.Error(item, path,
                                "needs from and costs; write e.g. {from: 2010-10-01, costs: "
                                "{fixed_monthly_yen: 20000000}}"));
      continue;
    }
    engine::PlannedCostChange change;
    if (!problems.Add(fields.ReadDate(item["from"], path + ".from", &change.from))) continue;
    if (!problems.Add(ReadCostModelAt(fields, item["costs"], path + ".costs", &change.costs))) {
      continue;
    }
    if (!out->empty() && !(out->back().from < change.from)) {
      problems.Add(fields.Error(item["from"], path + ".from",
                                "is not after the change before it; list the changes by date"));
      continue;
    }
    out->push_back(change);
  }
  return problems.status();
}

Status ReadMvnoLines(const FieldReader& fields, const YAML::Node& node,
                     std::optional<engine::MvnoLinesTarget>* out) {
  if (Status s = fields.CheckMapKeys(node, "plan.mvno_lines", {"target", "deadline"}); !s.ok()) {
    return s;
  }
  if (!node["target"] || !node["deadline"]) {
    return fields.Error(node, "plan.mvno_lines",
                        "needs target and deadline; write e.g. {target: 100000, deadline: "
                        "2013-03-31}");
  }
  engine::MvnoLinesTarget target;
  if (Status s = fields.ReadIntegerIn(node["target"], "plan.mvno_lines.target", 1, int64_t{1} << 40,
                                      &target.lines);
      !s.ok()) {
    return s;
  }
  if (Status s = fields.ReadDate(node["deadline"], "plan.mvno_lines.deadline", &target.deadline);
      !s.ok()) {
    return s;
  }
  *out = target;
  return Status::Ok();
}

}  // namespace

Status ReadPlan(const FieldReader& fields, const YAML::Node& plan, engine::Plan* out) {
  if (!plan.IsDefined() || plan.IsNull()) {
    *out = engine::Plan();
    return Status::Ok();
  }
  if (Status s = fields.CheckMapKeys(
          plan, "plan",
          {"fiscal_years", "breakeven", "cost_changes", "mvno_lines", "forecast_tolerance"});
      !s.ok()) {
    return s;
  }
  engine::Plan parsed;
  ConfigProblems problems;
  if (const YAML::Node n = plan["fiscal_years"]) {
    problems.Add(ReadFiscalYears(fields, n, &parsed.fiscal_years));
  }
  if (const YAML::Node n = plan["breakeven"]) {
    engine::DateWindow window;
    if (problems.Add(ReadWindow(fields, n, &window))) parsed.breakeven = window;
  }
  if (const YAML::Node n = plan["cost_changes"]) {
    problems.Add(ReadCostChanges(fields, n, &parsed.cost_changes));
  }
  if (const YAML::Node n = plan["mvno_lines"]) {
    problems.Add(ReadMvnoLines(fields, n, &parsed.mvno_lines));
  }
  if (const YAML::Node n = plan["forecast_tolerance"]) {
    problems.Add(fields.ReadShare(n, "plan.forecast_tolerance", 0, 1, "0.1 for 10%",
                                  &parsed.forecast_tolerance));
  }
  if (!problems.empty()) return problems.status();
  *out = std::move(parsed);
  return Status::Ok();
}

}  // namespace atmwatch::config
