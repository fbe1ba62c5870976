#include "config/sections/section_testing.h"

namespace atmwatch::config {

Status ReadSectionText(
    const std::string& yaml,
    const std::function<Status(const FieldReader& fields, const YAML::Node& root)>& read) {
  ConfigProblems problems;
  const FieldReader fields("atmwatch.yaml", &problems);
  problems.Add(ReadYaml(yaml, fields, [&](const YAML::Node& root) { return read(fields, root); }));
  return problems.status();
}

std::string ErrorText(const Status& status) { return status.ok() ? "ok" : status.message(); }

}  // namespace atmwatch::config
