#pragma once

// For the sections' tests: a section read from YAML text as ParseConfig
// reads it within a whole file.

#include <functional>
#include <string>

#include "common/status.h"
#include "config/config_field.h"

namespace atmwatch::config {

// Parses `yaml` as the file "atmwatch.yaml" and hands its root to `read`
// with a FieldReader that records unknown keys and reads on, as
// ParseConfig's does, so problems come back in the text and order that a
// whole file reports them.
Status ReadSectionText(
    const std::string& yaml,
    const std::function<Status(const FieldReader& fields, const YAML::Node& root)>& read);

// "ok", or the error's message.
std::string ErrorText(const Status& status);

}  // namespace atmwatch::config
