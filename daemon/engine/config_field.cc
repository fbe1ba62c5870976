#include "engine/config_field.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <set>

namespace atmwatch::engine {
namespace {

std::string KnownKeyList(std::initializer_list<std::string_view> known) {
  std::string list;
  for (std::string_view key : known) {
    if (!list.empty()) list += ", ";
    list += key;
  }
  return list;
}

std::string_view TypeName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value";
    default:
      return "nothing";
  }
}

}  // namespace

Status FieldError(std::string_view path, const YAML::Node& node, std::string_view problem) {
  std::string message(path);
  // Nodes built in code rather than parsed from a file carry no position.
  if (int line = node.Mark().line; line >= 0) {
    message += " (line " + std::to_string(line + 1) + ")";
  }
  message += ": ";
  message += problem;
  return Status::Error(std::move(message));
}

Status CheckMapKeys(const YAML::Node& node, std::string_view path,
                    std::initializer_list<std::string_view> known) {
  if (!node.IsMap()) {
    return FieldError(path, node,
                      "expected a map with the keys " + KnownKeyList(known) + ", found " +
                          std::string(TypeName(node)));
  }
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : node) {
    const std::string& key = entry.first.Scalar();
    std::string key_path = std::string(path) + "." + key;
    bool is_known = false;
    for (std::string_view candidate : known) is_known = is_known || candidate == key;
    if (!is_known) {
      return FieldError(key_path, entry.first,
                        "unknown key \"" + key + "\"; the keys here are " + KnownKeyList(known));
    }
    if (!seen.insert(key).second) {
      return FieldError(key_path, entry.first, "key given twice; keep one of them");
    }
  }
  return Status::Ok();
}

Status CheckSequence(const YAML::Node& node, std::string_view path, std::string_view what) {
  if (node.IsSequence()) return Status::Ok();
  return FieldError(path, node,
                    "expected a list with " + std::string(what) + " per item, found " +
                        std::string(TypeName(node)));
}

Status ReadScalar(const YAML::Node& node, std::string_view path, std::string* out) {
  if (!node.IsScalar()) {
    return FieldError(path, node, "expected a single value, found " + std::string(TypeName(node)));
  }
  *out = node.Scalar();
  return Status::Ok();
}

Status ReadInteger(const YAML::Node& node, std::string_view path, int64_t* out) {
  std::string text;
  if (Status status = ReadScalar(node, path, &text); !status.ok()) return status;
  const char* end = text.data() + text.size();
  auto [parsed_to, error] = std::from_chars(text.data(), end, *out);
  if (error == std::errc::result_out_of_range) {
    return FieldError(path, node, "\"" + text + "\" is too large; write a smaller whole number");
  }
  if (error != std::errc() || parsed_to != end) {
    return FieldError(path, node, "\"" + text + "\" is not a whole number; write digits, e.g. 105");
  }
  return Status::Ok();
}

}  // namespace atmwatch::engine
