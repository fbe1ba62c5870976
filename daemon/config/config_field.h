#pragma once

// Reading fields of atmwatchd's YAML config so that every mistake comes back
// as an error an operator can act on, in one format for every parser (the
// daemon's own sections and the engine's calendar, fees and costs):
//
//   FILE:LINE: key.path: problem; fix
//
// e.g. "atmwatch.yaml:3: ingest.max_frame_byts: unknown key; did you mean
// 'max_frame_bytes'? known keys here: ...". Errors are values (Status), so a
// reload that fails keeps the running config.
//
// Every problem of a file is reported at once (ConfigProblems): parsers go on
// past a field they refuse when the next one does not depend on it, and
// unknown keys are recorded while reading goes on.
//
// Every Read/Check method takes a node that exists (IsDefined()); a missing
// key is the caller's decision (default or error), not the reader's.
// Immutable apart from the problems it records; one reader per parse.

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace YAML {
class Node;
}

namespace atmwatch::config {

// The problems found in one config file, so that an operator fixes them all
// in one go rather than one per run. Each problem is a line of an error's
// message ("FILE:LINE: key: problem; fix").
class ConfigProblems {
 public:
  // Keeps the problems of an error; true when `status` is ok.
  bool Add(const Status& status);
  bool empty() const { return problems_.empty(); }
  // Ok, or one error listing every problem once, a line each, in the order
  // of their lines in the file.
  Status status() const;

 private:
  std::vector<std::string> problems_;
};

class FieldReader {
 public:
  // `file_name` is what errors start with: the path the operator passed.
  // With `problems`, CheckMapKeys records unknown and repeated keys there and
  // lets the caller read the known ones.
  explicit FieldReader(std::string file_name, ConfigProblems* problems = nullptr)
      : file_name_(std::move(file_name)), problems_(problems) {}

  const std::string& file_name() const { return file_name_; }

  // "FILE:LINE: path: problem". Nodes built in code rather than parsed from
  // a file carry no position; their line is 0.
  Status Error(const YAML::Node& node, std::string_view path, std::string_view problem) const;

  // Ok when `node` is a map whose keys are all among `known`, each once. An
  // unknown key is named with the nearest known one ("did you mean") and the
  // list of keys allowed there; every such key is named, a line each. With
  // a ConfigProblems, they go there and a map is Ok.
  Status CheckMapKeys(const YAML::Node& node, std::string_view path,
                      std::initializer_list<std::string_view> known) const;

  // Ok when `node` is a sequence; `what` describes one element ("a band").
  Status CheckSequence(const YAML::Node& node, std::string_view path, std::string_view what) const;

  // A scalar's text, or an error when the node is a map or a sequence.
  Status ReadScalar(const YAML::Node& node, std::string_view path, std::string* out) const;

  // A scalar holding a whole number.
  Status ReadInteger(const YAML::Node& node, std::string_view path, int64_t* out) const;
  // The same within [min, max]; the error gives the range.
  Status ReadIntegerIn(const YAML::Node& node, std::string_view path, int64_t min, int64_t max,
                       int64_t* out) const;

  // A decimal share within [min, max] ("0.1" for 10%); `example` is the fix
  // the error offers ("write e.g. EXAMPLE").
  Status ReadShare(const YAML::Node& node, std::string_view path, double min, double max,
                   std::string_view example, double* out) const;

  // "true" or "false".
  Status ReadBool(const YAML::Node& node, std::string_view path, bool* out) const;

  // A scalar that is not empty (an absent value, as in "key:", counts as
  // empty); `example` is the fix the error offers ("write e.g. EXAMPLE").
  Status ReadNonEmpty(const YAML::Node& node, std::string_view path, std::string_view example,
                      std::string* out) const;

  // A whole number within [min, max], as a count or size.
  Status ReadSize(const YAML::Node& node, std::string_view path, int64_t min, int64_t max,
                  std::size_t* out) const;

  // A duration in ParseDurationMs's syntax ("400d", "250ms", "0"), in ms.
  Status ReadDuration(const YAML::Node& node, std::string_view path, std::int64_t* ms) const;
  // The same within (0, max_ms]; the error gives the upper bound.
  Status ReadDurationUpTo(const YAML::Node& node, std::string_view path, std::int64_t max_ms,
                          std::int64_t* ms) const;
  // A duration above zero in ParseDurationMs's syntax ("250ms", "30s", "2m").
  Status ReadPositiveDuration(const YAML::Node& node, std::string_view path,
                              std::chrono::milliseconds* out) const;

  // A byte size in ParseByteSize's syntax ("4194304", "64KiB", "4MiB") of at
  // least `min` bytes.
  Status ReadByteSize(const YAML::Node& node, std::string_view path, std::size_t min,
                      std::size_t* bytes) const;

  // A strict "YYYY-MM-DD" calendar date.
  Status ReadDate(const YAML::Node& node, std::string_view path,
                  std::chrono::year_month_day* out) const;

  // An address to listen on or connect to, "HOST:PORT" ("[::1]:7420" for
  // IPv6), as net::ParseHostPort reads it; kept as written.
  Status ReadHostPort(const YAML::Node& node, std::string_view path, std::string* out) const;

  // An IP address literal, IPv4 or IPv6, normalised ("::0001" -> "::1"); host
  // names and networks ("10.0.0.0/8") are refused.
  Status ReadIpAddress(const YAML::Node& node, std::string_view path, std::string* out) const;

 private:
  std::string file_name_;
  ConfigProblems* problems_;
};

// "parent.key", or "key" at the top level (parent empty).
std::string KeyPath(std::string_view parent, std::string_view key);
// "list[index]".
std::string ItemPath(std::string_view list, std::size_t index);

// Parses `yaml_text` and hands the root to `read`. A syntax error, or a shape
// yaml-cpp's accessors throw on (e.g. a map used as a key), comes back as
// "FILE:LINE: ..." like every other config error.
Status ReadYaml(const std::string& yaml_text, const FieldReader& fields,
                const std::function<Status(const YAML::Node& root)>& read);

// A whole config's text, read by `read` with a FieldReader that records
// unknown keys and reads on: every problem of the file comes back at once,
// a line each, in the order of the file; ok only when there was none. The
// caller keeps what `read` filled in only then.
Status ReadConfigText(
    const std::string& yaml_text, const std::string& file_name,
    const std::function<Status(const FieldReader& fields, const YAML::Node& root)>& read);

// The whole of a config file, or an error naming it.
Status ReadConfigFile(const std::string& path, std::string* text);

// "400d", "12h", "30m", "45s", "250ms", "0" -> milliseconds; false if not one.
bool ParseDurationMs(const std::string& text, std::int64_t* ms);

// "4194304", "4MiB", "64KiB", "1GiB" -> bytes; false if not one.
bool ParseByteSize(const std::string& text, std::size_t* bytes);

}  // namespace atmwatch::config
