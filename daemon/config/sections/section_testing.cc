#include "config/sections/section_testing.h"

namespace atmwatch::config {

Status ReadSectionText(
    const std::string& yaml,
    const std::function<Status(const FieldReader& fields, const YAML::Node& root)>& read) {
  return ReadConfigText(yaml, "atmwatch.yaml", read);
}

std::string ErrorText(const Status& status) { return status.ok() ? "ok" : status.message(); }

}  // namespace atmwatch::config
