#include "config/config_field.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <asio/ip/address.hpp>
#include <charconv>
#include <climits>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "common/utf8.h"
#include "engine/calendar.h"
#include "net/host_port.h"

namespace atmwatch::config {
namespace {

// Keys further away than this are not offered as a "did you mean".
constexpr std::size_t kMaxSuggestionDistance = 2;

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string KnownKeyList(std::initializer_list<std::string_view> known) {
  std::string list;
  for (std::string_view key : known) {
    if (!list.empty()) list += ", ";
    list += key;
  }
  return list;
}

std::string_view NearestKey(std::string_view key, std::initializer_list<std::string_view> known) {
  std::string_view nearest;
  std::size_t best = kMaxSuggestionDistance + 1;
  for (std::string_view candidate : known) {
    const std::size_t distance = EditDistance(key, candidate);
    if (distance < best) best = distance, nearest = candidate;
  }
  return nearest;
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

// A problem is one line of a list (ConfigProblems splits on newlines), so a
// key or value quoted from the file keeps its control bytes escaped.
std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string KeyPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

Status ReadYaml(const std::string& yaml_text, const FieldReader& fields,
                const std::function<Status(const YAML::Node& root)>& read) {
  const auto at = [&](const YAML::Exception& error, std::string_view what) {
    return Status::Error(fields.file_name() + ":" + std::to_string(error.mark.line + 1) + ": " +
                         std::string(what) + ": " + error.msg);
  };
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& error) {
    return at(error, "not valid YAML");
  }
  try {
    return read(root);
  } catch (const YAML::Exception& error) {
    return at(error, "not a usable config");
  }
}

Status ReadConfigText(
    const std::string& yaml_text, const std::string& file_name,
    const std::function<Status(const FieldReader& fields, const YAML::Node& root)>& read) {
  ConfigProblems problems;
  const FieldReader fields(file_name, &problems);
  problems.Add(
      ReadYaml(yaml_text, fields, [&](const YAML::Node& root) { return read(fields, root); }));
  return problems.status();
}

Status ReadConfigFile(const std::string& path, std::string* text) {
  std::ifstream in(path);
  if (!in) return Status::Error(path + ": cannot read the config file");
  std::ostringstream contents;
  contents << in.rdbuf();
  *text = std::move(contents).str();
  return Status::Ok();
}

std::string ItemPath(std::string_view list, std::size_t index) {
  return std::string(list) + "[" + std::to_string(index) + "]";
}

bool ParseDurationMs(const std::string& text, std::int64_t* ms) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [unit, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || value < 0) return false;
  const std::string_view suffix(unit, end - unit);
  static const std::pair<std::string_view, std::int64_t> kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
  if (suffix.empty()) {
    if (value != 0) return false;  // a bare number has no unit, except 0
    *ms = 0;
    return true;
  }
  for (const auto& [name, scale] : kUnits) {
    if (suffix == name) {
      if (value > INT64_MAX / scale) return false;
      *ms = value * scale;
      return true;
    }
  }
  return false;
}

bool ParseByteSize(const std::string& text, std::size_t* bytes) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [unit, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc()) return false;
  const std::string_view suffix(unit, end - unit);
  static const std::pair<std::string_view, std::uint64_t> kUnits[] = {
      {"", 1}, {"B", 1}, {"KiB", 1ULL << 10}, {"MiB", 1ULL << 20}, {"GiB", 1ULL << 30}};
  for (const auto& [name, scale] : kUnits) {
    if (suffix == name) {
      if (value > UINT64_MAX / scale) return false;
      *bytes = static_cast<std::size_t>(value * scale);
      return true;
    }
  }
  return false;
}

bool ConfigProblems::Add(const Status& status) {
  if (status.ok()) return true;
  std::istringstream lines(status.message());
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && std::find(problems_.begin(), problems_.end(), line) == problems_.end()) {
      problems_.push_back(std::move(line));
    }
  }
  return false;
}

Status ConfigProblems::status() const {
  if (problems_.empty()) return Status::Ok();
  // "FILE:LINE: ..." -> LINE; a problem without one sorts first.
  const auto line_of = [](const std::string& problem) {
    const std::size_t end = problem.find(": ");
    const std::size_t start = problem.rfind(':', end == std::string::npos ? 0 : end - 1);
    int line = 0;
    if (end != std::string::npos && start != std::string::npos) {
      std::from_chars(problem.data() + start + 1, problem.data() + end, line);
    }
    return line;
  };
  std::vector<std::string> sorted = problems_;
  std::stable_sort(sorted.begin(), sorted.end(), [&](const std::string& a, const std::string& b) {
    return line_of(a) < line_of(b);
  });
  std::string message;
  for (const std::string& problem : sorted) {
    if (!message.empty()) message += "\n";
    message += problem;
  }
  return Status::Error(std::move(message));
}

Status FieldReader::Error(const YAML::Node& node, std::string_view path,
                          std::string_view problem) const {
  const int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
  return Status::Error(file_name_ + ":" + std::to_string(line) + ": " + OneLine(path) + ": " +
                       OneLine(problem));
}

Status FieldReader::CheckMapKeys(const YAML::Node& node, std::string_view path,
                                 std::initializer_list<std::string_view> known) const {
  if (!node.IsMap()) {
    return Error(node, path.empty() ? "(top level)" : path,
                 "expected a map with the keys " + KnownKeyList(known) + ", found " +
                     std::string(TypeName(node)));
  }
  std::set<std::string, std::less<>> seen;
  ConfigProblems problems;
  for (const auto& entry : node) {
    const std::string& key = entry.first.Scalar();
    const std::string key_path = KeyPath(path, key);
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      const std::string_view nearest = NearestKey(key, known);
      const std::string hint =
          nearest.empty() ? "" : "did you mean '" + std::string(nearest) + "'? ";
      problems.Add(Error(entry.first, key_path,
                         "unknown key; " + hint + "known keys here: " + KnownKeyList(known)));
    } else if (!seen.insert(key).second) {
      problems.Add(Error(entry.first, key_path, "key given twice; keep one of them"));
    }
  }
  if (problems_ == nullptr) return problems.status();
  problems_->Add(problems.status());
  return Status::Ok();
}

Status FieldReader::CheckSequence(const YAML::Node& node, std::string_view path,
                                  std::string_view what) const {
  if (node.IsSequence()) return Status::Ok();
  return Error(node, path,
               "expected a list with " + std::string(what) + " per item, found " +
                   std::string(TypeName(node)));
}

Status FieldReader::ReadScalar(const YAML::Node& node, std::string_view path,
                               std::string* out) const {
  if (!node.IsScalar()) {
    return Error(node, path,
                 "expected a single value, found " + std::string(TypeName(node)) +
                     "; write a plain value, not a list or map");
  }
  // Values end up in protobuf strings (inventory ids, carriers in the
  // snapshot), which must be UTF-8 or the snapshot cannot be read back.
  if (!IsValidUtf8(node.Scalar())) {
    return Error(node, path, "the value is not valid UTF-8; save the file as UTF-8");
  }
  *out = node.Scalar();
  return Status::Ok();
}

Status FieldReader::ReadInteger(const YAML::Node& node, std::string_view path, int64_t* out) const {
  std::string text;
  if (Status status = ReadScalar(node, path, &text); !status.ok()) return status;
  const char* end = text.data() + text.size();
  int64_t value = 0;
  auto [parsed_to, error] = std::from_chars(text.data(), end, value);
  if (error == std::errc::result_out_of_range) {
    return Error(node, path, "'" + text + "' is too large; write a smaller whole number");
  }
  if (error != std::errc() || parsed_to != end) {
    return Error(node, path, "'" + text + "' is not a whole number; write digits, e.g. 105");
  }
  *out = value;
  return Status::Ok();
}

Status FieldReader::ReadIntegerIn(const YAML::Node& node, std::string_view path, int64_t min,
                                  int64_t max, int64_t* out) const {
  int64_t value = 0;
  if (Status status = ReadInteger(node, path, &value); !status.ok()) return status;
  if (value < min || value > max) {
    return Error(node, path,
                 std::to_string(value) + " is out of range; use " + std::to_string(min) + ".." +
                     std::to_string(max));
  }
  *out = value;
  return Status::Ok();
}

Status FieldReader::ReadShare(const YAML::Node& node, std::string_view path, double min, double max,
                              std::string_view example, double* out) const {
  std::string text;
  if (Status status = ReadScalar(node, path, &text); !status.ok()) return status;
  double share = 0;
  try {
    std::size_t used = 0;
    share = std::stod(text, &used);
    if (used != text.size()) share = std::nan("");
  } catch (const std::exception&) {
    share = std::nan("");
  }
  // Written so that NaN fails it too.
  if (!(share >= min && share <= max)) {
    std::ostringstream problem;
    problem << "'" << text << "' is not a share from " << min << " to " << max << "; write e.g. "
            << example;
    return Error(node, path, problem.str());
  }
  *out = share;
  return Status::Ok();
}

Status FieldReader::ReadBool(const YAML::Node& node, std::string_view path, bool* out) const {
  std::string text;
  if (Status status = ReadScalar(node, path, &text); !status.ok()) return status;
  if (text != "true" && text != "false") {
    return Error(node, path, "'" + text + "' is not true or false; write true or false");
  }
  *out = text == "true";
  return Status::Ok();
}

Status FieldReader::ReadNonEmpty(const YAML::Node& node, std::string_view path,
                                 std::string_view example, std::string* out) const {
  std::string text;
  if (!node.IsNull()) {
    if (Status status = ReadScalar(node, path, &text); !status.ok()) return status;
  }
  if (text.empty()) {
    return Error(node, path, "must not be empty; write e.g. " + std::string(example));
  }
  *out = std::move(text);
  return Status::Ok();
}

Status FieldReader::ReadSize(const YAML::Node& node, std::string_view path, int64_t min,
                             int64_t max, std::size_t* out) const {
  int64_t value = 0;
  if (Status status = ReadIntegerIn(node, path, min, max, &value); !status.ok()) return status;
  *out = static_cast<std::size_t>(value);
  return Status::Ok();
}

Status FieldReader::ReadDuration(const YAML::Node& node, std::string_view path,
                                 std::int64_t* ms) const {
  std::string text;
  if (Status status = ReadScalar(node, path, &text); !status.ok()) return status;
  if (!ParseDurationMs(text, ms)) {
    return Error(node, path,
                 "'" + text + "' is not a duration; write e.g. 400d, 12h, 30m, 45s, 250ms or 0");
  }
  return Status::Ok();
}

Status FieldReader::ReadDurationUpTo(const YAML::Node& node, std::string_view path,
                                     std::int64_t max_ms, std::int64_t* ms) const {
  std::int64_t value = 0;
  if (Status status = ReadDuration(node, path, &value); !status.ok()) return status;
  if (value <= 0 || value > max_ms) {
    return Error(
        node, path,
        "must be above 0 and at most " + std::to_string(max_ms / 1000) + "s; write e.g. 5m");
  }
  *ms = value;
  return Status::Ok();
}

Status FieldReader::ReadPositiveDuration(const YAML::Node& node, std::string_view path,
                                         std::chrono::milliseconds* out) const {
  std::string text;
  if (Status status = ReadScalar(node, path, &text); !status.ok()) return status;
  std::int64_t ms = 0;
  if (!ParseDurationMs(text, &ms) || ms == 0) {
    return Error(node, path,
                 "'" + text + "' is not a positive duration; write e.g. 30s, 2m or 250ms");
  }
  *out = std::chrono::milliseconds(ms);
  return Status::Ok();
}

Status FieldReader::ReadByteSize(const YAML::Node& node, std::string_view path, std::size_t min,
                                 std::size_t* bytes) const {
  std::string text;
  if (Status status = ReadScalar(node, path, &text); !status.ok()) return status;
  if (!ParseByteSize(text, bytes)) {
    return Error(node, path,
                 "'" + text + "' is not a byte size; write e.g. 4194304, 64KiB or 4MiB");
  }
  if (*bytes < min) {
    return Error(
        node, path,
        std::to_string(*bytes) + " bytes is too small; write at least " + std::to_string(min));
  }
  return Status::Ok();
}

Status FieldReader::ReadDate(const YAML::Node& node, std::string_view path,
                             std::chrono::year_month_day* out) const {
  std::string text;
  if (Status status = ReadScalar(node, path, &text); !status.ok()) return status;
  if (Status status = engine::ParseDate(text, out); !status.ok()) {
    return Error(node, path, status.message());
  }
  return Status::Ok();
}

Status FieldReader::ReadHostPort(const YAML::Node& node, std::string_view path,
                                 std::string* out) const {
  std::string text;
  if (Status status = ReadScalar(node, path, &text); !status.ok()) return status;
  if (!net::ParseHostPort(text)) {
    return Error(node, path, "'" + text + "' is not HOST:PORT; write e.g. 127.0.0.1:7420");
  }
  *out = std::move(text);
  return Status::Ok();
}

Status FieldReader::ReadIpAddress(const YAML::Node& node, std::string_view path,
                                  std::string* out) const {
  std::string text;
  if (Status status = ReadScalar(node, path, &text); !status.ok()) return status;
  std::error_code error;
  const asio::ip::address address = asio::ip::make_address(text, error);
  if (error) {
    return Error(node, path,
                 "'" + text +
                     "' is not an IP address; write an address literal, e.g. 10.1.0.7 or ::1 "
                     "(host names and networks are not accepted)");
  }
  *out = address.to_string();
  return Status::Ok();
}

}  // namespace atmwatch::config
