#include "operator_kit_dashboards.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <set>

#include "operator_kit_fleet.h"
#include "testing/eventually.h"
#include "testing/read_file.h"

namespace atmwatch::testing {
namespace {

using google::protobuf::Struct;

// The queries of `panels`, in order; a row panel names the row of the panels
// after it (an open row) or of those it holds (a collapsed one).
void CollectQueries(const std::string& file, const google::protobuf::ListValue& panels,
                    std::string* row, std::vector<PanelQuery>* out) {
  for (const auto& value : panels.values()) {
    const auto& panel = value.struct_value().fields();
    const std::string title = panel.contains("title") ? panel.at("title").string_value() : "";
    if (panel.contains("type") && panel.at("type").string_value() == "row") *row = title;
    if (panel.contains("panels")) CollectQueries(file, panel.at("panels").list_value(), row, out);
    if (!panel.contains("targets")) continue;
    const int id = panel.contains("id") ? static_cast<int>(panel.at("id").number_value()) : 0;
    for (const auto& target : panel.at("targets").list_value().values()) {
      const auto& fields = target.struct_value().fields();
      const std::string ref_id = fields.contains("refId") ? fields.at("refId").string_value() : "?";
      const std::string expr = fields.contains("expr") ? fields.at("expr").string_value() : "";
      out->push_back(
          {*row, file + ": " + title + " (id " + std::to_string(id) + "), refId " + ref_id, expr});
    }
  }
}

// Replaces Grafana's variables ($name and ${name}), longest name first so
// that no name is taken for the start of a longer one.
std::string Substitute(std::string expr, const std::map<std::string, std::string>& values) {
  std::vector<std::pair<std::string, std::string>> ordered(values.begin(), values.end());
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [name, value] : ordered) {
    for (const std::string& token : {"${" + name + "}", "$" + name}) {
      for (std::size_t at = expr.find(token); at != std::string::npos;
           at = expr.find(token, at + value.size())) {
        expr.replace(at, token.size(), value);
      }
    }
  }
  return expr;
}

}  // namespace

Dashboards LoadDashboards(const std::filesystem::path& dir) {
  Dashboards dashboards;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    const std::string file = entry.path().filename().string();
    const std::optional<Struct> dashboard = ParseJsonObject(ReadFile(entry.path()));
    if (!dashboard || !dashboard->fields().contains("panels")) {
      dashboards.error += file + " is not a dashboard (a JSON object with panels)\n";
      continue;
    }
    const auto& fields = dashboard->fields();
    std::string row;
    CollectQueries(file, fields.at("panels").list_value(), &row, &dashboards.queries);
    if (!fields.contains("templating")) continue;
    const auto& templating = fields.at("templating").struct_value().fields();
    if (!templating.contains("list")) continue;
    for (const auto& variable : templating.at("list").list_value().values()) {
      dashboards.variables.emplace_back(file, variable.struct_value());
    }
  }
  if (dashboards.queries.empty()) dashboards.error += "no panel queries under " + dir.string();
  return dashboards;
}

std::vector<PanelQuery> QueriesInRow(const Dashboards& dashboards, const std::string& row) {
  std::vector<PanelQuery> queries;
  for (const PanelQuery& query : dashboards.queries) {
    if (query.row == row) queries.push_back(query);
  }
  return queries;
}

// and the label has values; `atm` lists exactly the inventory.
void ExpectVariablesAnswer(const PrometheusServer& prometheus, const Dashboards& dashboards,
                           const std::map<std::string, std::string>& values) {
  const std::regex label_values(R"(label_values\((.*),\s*(\w+)\))");
  for (const auto& [file, variable] : dashboards.variables) {
    const auto& fields = variable.fields();
    if (!fields.contains("type") || fields.at("type").string_value() != "query") continue;
    const std::string name = fields.at("name").string_value();
    const std::string query = fields.contains("query") ? fields.at("query").string_value() : "";
    std::smatch parts;
    if (!std::regex_match(query, parts, label_values)) {
      ADD_FAILURE() << file << ": $" << name << " is not label_values(SELECTOR, LABEL): " << query;
      continue;
    }
    const PromQueryResult answer = prometheus.Query(Substitute(parts[1].str(), values));
    std::set<std::string> found;
    for (const Struct& item : answer.items) found.insert(LabelsOf(item, "metric")[parts[2].str()]);
    found.erase("");
    EXPECT_FALSE(found.empty()) << file << ": $" << name << " has no values " << answer.error;
    if (name == "atm") {
      std::set<std::string> inventory;
      for (const FleetAtm& atm : kFleet) inventory.insert(atm.id);
      EXPECT_EQ(found, inventory) << file << ": $atm";
    }
  }
}

// Every panel query with the variables put in (those with $atm once per ATM
// of the inventory): an error fails at once; an empty answer is asked again

std::size_t ExpectEveryQueryAnswers(const PrometheusServer& prometheus,
                                    const std::vector<PanelQuery>& queries,
                                    std::map<std::string, std::string> values) {
  std::vector<PanelQuery> pending;
  for (const PanelQuery& query : queries) {
    if (query.expr.find("$atm") == std::string::npos) {
      pending.push_back({query.row, query.panel, Substitute(query.expr, values)});
      continue;
    }
    for (const FleetAtm& atm : kFleet) {
      values["atm"] = atm.id;
      pending.push_back(
          {query.row, query.panel + ", $atm=" + atm.id, Substitute(query.expr, values)});
    }
  }
  const std::size_t asked = pending.size();
  std::erase_if(pending, [](const PanelQuery& query) {
    if (query.expr.find('$') == std::string::npos) return false;
    ADD_FAILURE() << query.panel << ": a variable this test does not fill in: " << query.expr;
    return true;
  });
  Eventually(
      [&] {
        std::erase_if(pending, [&](const PanelQuery& query) {
          const PromQueryResult answer = prometheus.Query(query.expr);
          if (answer.error.empty()) return !answer.items.empty();
          ADD_FAILURE() << query.panel << ": " << answer.error << "\n" << query.expr;
          return true;
        });
        return pending.empty();
      },
      std::chrono::seconds(30), std::chrono::seconds(1));
  for (const PanelQuery& query : pending) {
    ADD_FAILURE() << query.panel << ": no data\n" << query.expr;
  }
  return asked;
}

}  // namespace atmwatch::testing
