#pragma once

// DEPRECATED: the engine's former field helpers, errors as "<path> (line N):
// <problem>". atmwatchd's config (its own sections and the engine's
// calendar, fees and costs) now reads every field with config::FieldReader
// (config/config_field.h), errors as "FILE:LINE: key.path: problem; fix".
// Kept only for collectors/radius, whose config tests pin this format; new
// code uses config::FieldReader, and this file goes once radius has moved.
//
// Every function here takes a node that exists (IsDefined()); a missing key
// is the caller's decision (default or error), not these helpers'.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/status.h"

namespace YAML {
class Node;
}

namespace atmwatch::engine {

// "<path> (line N): <problem>". `problem` says what is wrong and how to fix it.
Status FieldError(std::string_view path, const YAML::Node& node, std::string_view problem);

// Ok when `node` is a map whose keys are all among `known`, each once; the
// error for a typo names the unknown key and lists the known ones.
Status CheckMapKeys(const YAML::Node& node, std::string_view path,
                    std::initializer_list<std::string_view> known);

// Ok when `node` is a sequence; `what` describes one element ("a band").
Status CheckSequence(const YAML::Node& node, std::string_view path, std::string_view what);

// A scalar's text, or an error when the node is a map or a sequence.
Status ReadScalar(const YAML::Node& node, std::string_view path, std::string* out);

// A scalar holding a whole number.
Status ReadInteger(const YAML::Node& node, std::string_view path, int64_t* out);

}  // namespace atmwatch::engine
