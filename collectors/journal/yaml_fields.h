#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/status.h"

// Typed reads of YAML config values. Every error reads
// "<line>: <key path>: <problem>; <fix>" so the caller only prefixes the file
// name ("journal.yaml:3: ingest.adress: unknown key; did you mean 'address'?").
namespace atmwatch::journal::yaml {

Status FieldError(const YAML::Node& node, const std::string& path, const std::string& message);

// `node` must be a map whose keys are all in `allowed`.
Status CheckKeys(const YAML::Node& node, const std::string& path,
                 std::initializer_list<std::string_view> allowed);

// A non-empty scalar; `example` goes into the error.
Status ReadText(const YAML::Node& node, const std::string& path, std::string_view example,
                std::string* out);
Status ReadCount(const YAML::Node& node, const std::string& path, std::size_t min, std::size_t max,
                 std::size_t* out);
// "250ms", "2s", "1m"; at least 1 ms.
Status ReadDuration(const YAML::Node& node, const std::string& path,
                    std::chrono::milliseconds* out);

}  // namespace atmwatch::journal::yaml
