#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "config/config_field.h"

// The `log_level` key of atmwatchd's and the collectors' configs, one list
// for all of them so that a level that works in one file works in the others.
// Every spelling is one spdlog::level::from_str understands.
namespace atmwatch::config {

// "trace, debug, info, warn, error or critical": for help texts and errors.
std::string_view LogLevelChoices();

// Ok and `*out` set when `node` names a level; otherwise an error listing
// them, and `*out` as it was.
Status ReadLogLevel(const FieldReader& fields, const YAML::Node& node, std::string_view path,
                    std::string* out);

}  // namespace atmwatch::config
