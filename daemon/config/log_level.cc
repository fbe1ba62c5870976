#include "config/log_level.h"

#include <algorithm>
#include <array>

namespace atmwatch::config {
namespace {

constexpr std::array<std::string_view, 6> kLevels = {"trace", "debug", "info",
                                                     "warn",  "error", "critical"};

}  // namespace

std::string_view LogLevelChoices() { return "trace, debug, info, warn, error or critical"; }

Status ReadLogLevel(const FieldReader& fields, const YAML::Node& node, std::string_view path,
                    std::string* out) {
  std::string text;
  if (Status status = fields.ReadScalar(node, path, &text); !status.ok()) return status;
  if (std::find(kLevels.begin(), kLevels.end(), text) == kLevels.end()) {
    return fields.Error(node, path,
                        "'" + text + "' is not a level; use " + std::string(LogLevelChoices()));
  }
  *out = std::move(text);
  return Status::Ok();
}

}  // namespace atmwatch::config
