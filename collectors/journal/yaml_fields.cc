#include "journal/yaml_fields.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace atmwatch::journal::yaml {
namespace {

// Edit distance, to suggest the key a typo meant.
std::size_t Distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string Join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

}  // namespace

Status FieldError(const YAML::Node& node, const std::string& path, const std::string& message) {
  return Status::Error(std::to_string(node.Mark().line + 1) + ": " +
                       (path.empty() ? "(top level)" : path) + ": " + message);
}

Status CheckKeys(const YAML::Node& node, const std::string& path,
                 std::initializer_list<std::string_view> allowed) {
  if (!node.IsMap()) return FieldError(node, path, "expected a map of keys; see the README");
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string_view best;
    std::size_t best_distance = 3;  // further than this is not a typo
    for (std::string_view candidate : allowed) {
      if (const std::size_t d = Distance(key, candidate); d < best_distance) {
        best = candidate;
        best_distance = d;
      }
    }
    std::string fix = "remove it";
    if (!best.empty()) fix = "did you mean '" + std::string(best) + "'?";
    return FieldError(entry.first, Join(path, key), "unknown key; " + fix);
  }
  return Status::Ok();
}

Status ReadText(const YAML::Node& node, const std::string& path, std::string_view example,
                std::string* out) {
  if (!node.IsScalar() || node.Scalar().empty()) {
    return FieldError(node, path, "expected a non-empty value; write e.g. " + std::string(example));
  }
  *out = node.Scalar();
  return Status::Ok();
}

Status ReadCount(const YAML::Node& node, const std::string& path, std::size_t min, std::size_t max,
                 std::size_t* out) {
  const std::string range =
      "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  if (!node.IsScalar()) return FieldError(node, path, "expected " + range);
  const std::string& text = node.Scalar();
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return FieldError(node, path, "'" + text + "' is not " + range);
  }
  *out = value;
  return Status::Ok();
}

Status ReadDuration(const YAML::Node& node, const std::string& path,
                    std::chrono::milliseconds* out) {
  const std::string text = node.IsScalar() ? node.Scalar() : "";
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string_view unit(end, text.data() + text.size() - end);
  std::int64_t scale = 0;
  if (unit == "ms") scale = 1;
  if (unit == "s") scale = 1000;
  if (unit == "m") scale = 60000;
  if (unit == "h") scale = 3600000;
  if (ec != std::errc() || scale == 0 || value <= 0) {
    return FieldError(node, path,
                      "'" + text + "' is not a positive duration; write e.g. 250ms, 2s or 1m");
  }
  *out = std::chrono::milliseconds(value * scale);
  return Status::Ok();
}

}  // namespace atmwatch::journal::yaml
