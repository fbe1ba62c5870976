#pragma once

// The shipped Grafana dashboards as the operator kit test asks them: every
// panel query, by dashboard row, and the template variables.

#include <google/protobuf/struct.pb.h>

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "testing/prometheus_server.h"

namespace atmwatch::testing {

// One query of a dashboard panel.
struct PanelQuery {
  std::string row;    // the title of the dashboard row the panel is in ("" above any row)
  std::string panel;  // "dashboard file: panel title (id N), refId A"
  std::string expr;
};

struct Dashboards {
  std::vector<PanelQuery> queries;
  std::vector<std::pair<std::string, google::protobuf::Struct>>
      variables;  // (file, templating entry)
  std::string error;
};

// Every dashboard (*.json) under `dir`.
Dashboards LoadDashboards(const std::filesystem::path& dir);

// The queries of the panels in the row titled `row`.
std::vector<PanelQuery> QueriesInRow(const Dashboards& dashboards, const std::string& row);

// The query variables' label_values(SELECTOR, LABEL): the selector answers
// and the label has values; `atm` lists exactly the inventory.
void ExpectVariablesAnswer(const PrometheusServer& prometheus, const Dashboards& dashboards,
                           const std::map<std::string, std::string>& values);

// Every query of `queries` with the variables put in (those with $atm once
// per ATM of the inventory): an error fails at once; an empty answer is
// asked again until a deadline (a rate() needs two samples in its window, a
// recording rule its first evaluation), then fails. Returns how many were
// asked.
std::size_t ExpectEveryQueryAnswers(const PrometheusServer& prometheus,
                                    const std::vector<PanelQuery>& queries,
                                    std::map<std::string, std::string> values);

}  // namespace atmwatch::testing
