#include "config/daemon_config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

namespace atmwatch::config {
namespace {

// Carries the position of the first error out of the nested parsers.
struct ConfigError {
  std::string message;
};

std::size_t EditDistance(const std::string& a, const std::string& b) {
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

class Parser {
 public:
  explicit Parser(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void Fail(const YAML::Node& node, const std::string& path,
                         const std::string& what) const {
    const int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
    throw ConfigError{fmt::format("{}:{}: {}: {}", file_, line, path, what)};
  }

  // Fails on any key of `map` not in `known`, suggesting the nearest one.
  void CheckKeys(const YAML::Node& map, const std::string& path,
                 const std::set<std::string>& known) const {
    if (!map.IsMap()) Fail(map, path.empty() ? "(top level)" : path, "must be a mapping");
    for (const auto& item : map) {
      const std::string key = item.first.as<std::string>();
      if (known.count(key)) continue;
      std::string nearest;
      std::size_t best = 3;  // suggest only close matches
      for (const auto& candidate : known) {
        const std::size_t d = EditDistance(key, candidate);
        if (d < best) best = d, nearest = candidate;
      }
      const std::string full = path.empty() ? key : path + "." + key;
      std::string hint = nearest.empty() ? "" : fmt::format("did you mean '{}'? ", nearest);
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      Fail(item.first, full, fmt::format("unknown key; {}known keys here: {}", hint, list));
    }
  }

  std::string String(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) Fail(node, path, "must be a plain value, not a list or mapping");
    return node.as<std::string>();
  }

  std::int64_t Integer(const YAML::Node& node, const std::string& path, std::int64_t min,
                       std::int64_t max) const {
    const std::string text = String(node, path);
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
      Fail(node, path, fmt::format("'{}' is not a whole number", text));
    }
    if (value < min || value > max) {
      Fail(node, path, fmt::format("{} is out of range; use {}..{}", value, min, max));
    }
    return value;
  }

  std::int64_t Duration(const YAML::Node& node, const std::string& path) const {
    const std::string text = String(node, path);
    std::int64_t ms = 0;
    if (!ParseDurationMs(text, &ms)) {
      Fail(node, path,
           fmt::format("'{}' is not a duration; write e.g. 400d, 12h, 30m, 45s, "
                       "250ms or 0",
                       text));
    }
    return ms;
  }

  std::size_t Bytes(const YAML::Node& node, const std::string& path, std::size_t min) const {
    const std::string text = String(node, path);
    std::size_t bytes = 0;
    if (!ParseByteSize(text, &bytes)) {
      Fail(node, path,
           fmt::format("'{}' is not a byte size; write e.g. 4194304, 64KiB or 4MiB", text));
    }
    if (bytes < min)
      Fail(node, path, fmt::format("{} bytes is too small; at least {}", bytes, min));
    return bytes;
  }

  std::string Date(const YAML::Node& node, const std::string& path) const {
    const std::string text = String(node, path);
    int y = 0;
    unsigned m = 0, d = 0;
    char dash1 = 0, dash2 = 0;
    std::istringstream in(text);
    in >> y >> dash1 >> m >> dash2 >> d;
    const bool ok = in && in.peek() == EOF && text.size() == 10 && dash1 == '-' && dash2 == '-' &&
                    std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m),
                                                std::chrono::day(d))
                        .ok();
    if (!ok) Fail(node, path, fmt::format("'{}' is not a date; write YYYY-MM-DD", text));
    return text;
  }

  std::string Address(const YAML::Node& node, const std::string& path) const {
    const std::string text = String(node, path);
    const auto colon = text.rfind(':');
    const bool ok = colon != std::string::npos && colon > 0 && colon + 1 < text.size() &&
                    text.find_first_not_of("0123456789", colon + 1) == std::string::npos &&
                    std::stoul(text.substr(colon + 1)) <= 65535;
    if (!ok)
      Fail(node, path, fmt::format("'{}' is not HOST:PORT; write e.g. 127.0.0.1:7420", text));
    return text;
  }

  void Top(const YAML::Node& root, DaemonConfig* out) const {
    if (!root || root.IsNull()) return;
    CheckKeys(root, "",
              {"timezone", "fiscal_year_start_month", "ingest", "http", "data_dir", "wal",
               "log_level", "atms", "holidays", "targets"});
    if (auto n = root["timezone"]) out->timezone = Timezone(n, "timezone");
    if (auto n = root["fiscal_year_start_month"]) {
      out->fiscal_year_start_month = static_cast<int>(Integer(n, "fiscal_year_start_month", 1, 12));
    }
    if (auto n = root["ingest"]) IngestSection(n, &out->ingest);
    if (auto n = root["http"]) {
      CheckKeys(n, "http", {"listen"});
      if (auto l = n["listen"]) out->http.listen = Address(l, "http.listen");
    }
    if (auto n = root["data_dir"]) out->data_dir = String(n, "data_dir");
    if (auto n = root["wal"]) WalSection(n, &out->wal);
    if (auto n = root["log_level"]) out->log_level = LogLevel(n, "log_level");
    if (auto n = root["atms"]) Atms(n, &out->atms);
    if (auto n = root["holidays"]) {
      if (!n.IsSequence()) Fail(n, "holidays", "must be a list of dates, e.g. [2010-01-01]");
      for (std::size_t i = 0; i < n.size(); ++i) {
        out->holidays.push_back(Date(n[i], fmt::format("holidays[{}]", i)));
      }
    }
    if (auto n = root["targets"]) {
      CheckKeys(n, "targets", {"mvno_lines"});
      if (auto t = n["mvno_lines"])
        out->targets.mvno_lines = Integer(t, "targets.mvno_lines", 0, 1LL << 40);
    }
  }

  std::string Timezone(const YAML::Node& node, const std::string& path) const {
    const std::string text = String(node, path);
    const bool ok =
        text == "Z" || (text.size() == 6 && (text[0] == '+' || text[0] == '-') && text[3] == ':' &&
                        std::isdigit(text[1]) && std::isdigit(text[2]) && std::isdigit(text[4]) &&
                        std::isdigit(text[5]) && std::stoi(text.substr(1, 2)) <= 14 &&
                        std::stoi(text.substr(4, 2)) < 60);
    if (!ok) Fail(node, path, fmt::format("'{}' is not a UTC offset; write e.g. +09:00", text));
    return text;
  }

  std::string LogLevel(const YAML::Node& node, const std::string& path) const {
    const std::string text = String(node, path);
    static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error"};
    if (!kLevels.count(text)) {
      Fail(node, path,
           fmt::format("'{}' is not a level; use trace, debug, info, warn or error", text));
    }
    return text;
  }

  void IngestSection(const YAML::Node& n, DaemonConfig::Ingest* out) const {
    CheckKeys(
        n, "ingest",
        {"listen", "max_frame_bytes", "max_event_age", "max_batch_events", "max_unknown_atms"});
    if (auto v = n["listen"]) out->listen = Address(v, "ingest.listen");
    if (auto v = n["max_frame_bytes"])
      out->max_frame_bytes = Bytes(v, "ingest.max_frame_bytes", 1024);
    if (auto v = n["max_event_age"]) out->max_event_age_ms = Duration(v, "ingest.max_event_age");
    if (auto v = n["max_batch_events"]) {
      out->max_batch_events =
          static_cast<std::size_t>(Integer(v, "ingest.max_batch_events", 1, 10000000));
    }
    if (auto v = n["max_unknown_atms"]) {
      out->max_unknown_atms =
          static_cast<std::size_t>(Integer(v, "ingest.max_unknown_atms", 0, 1000000));
    }
  }

  bool Bool(const YAML::Node& node, const std::string& path) const {
    const std::string text = String(node, path);
    if (text == "true") return true;
    if (text == "false") return false;
    Fail(node, path, fmt::format("'{}' is not true or false", text));
  }

  void WalSection(const YAML::Node& n, DaemonConfig::Wal* out) const {
    CheckKeys(n, "wal",
              {"fsync", "commit_delay", "group_bytes", "segment_bytes", "strict",
               "snapshot_interval", "snapshot_every_records"});
    if (auto v = n["fsync"]) out->fsync = Bool(v, "wal.fsync");
    if (auto v = n["commit_delay"]) {
      const std::int64_t ms = Duration(v, "wal.commit_delay");
      if (ms > 1000) Fail(v, "wal.commit_delay", "is longer than 1s; acks would wait that long");
      out->commit_delay_us = ms * 1000;
    }
    if (auto v = n["group_bytes"]) out->group_bytes = Bytes(v, "wal.group_bytes", 4096);
    if (auto v = n["segment_bytes"]) out->segment_bytes = Bytes(v, "wal.segment_bytes", 64 * 1024);
    if (auto v = n["strict"]) out->strict = Bool(v, "wal.strict");
    if (auto v = n["snapshot_interval"]) {
      out->snapshot_interval_ms = Duration(v, "wal.snapshot_interval");
      if (out->snapshot_interval_ms < 1000) {
        Fail(v, "wal.snapshot_interval", "must be at least 1s");
      }
    }
    if (auto v = n["snapshot_every_records"]) {
      out->snapshot_every_records =
          static_cast<std::uint64_t>(Integer(v, "wal.snapshot_every_records", 1, 1LL << 40));
    }
  }

  void Atms(const YAML::Node& list, std::vector<engine::InventoryEntry>* out) const {
    if (!list.IsSequence()) Fail(list, "atms", "must be a list of {id: ..., site: ...} entries");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = fmt::format("atms[{}]", i);
      const YAML::Node& n = list[i];
      CheckKeys(n, path, {"id", "site", "region", "installed", "line_id", "carrier"});
      engine::InventoryEntry atm;
      if (!n["id"]) Fail(n, path + ".id", "every ATM needs an id, e.g. id: ATM0001");
      atm.id = String(n["id"], path + ".id");
      if (atm.id.empty() || atm.id.size() > 64) Fail(n["id"], path + ".id", "must be 1..64 bytes");
      if (!seen.insert(atm.id).second) {
        Fail(n["id"], path + ".id",
             fmt::format("'{}' is listed twice; ids must be unique", atm.id));
      }
      if (auto v = n["site"]) atm.site = String(v, path + ".site");
      if (auto v = n["region"]) atm.region = String(v, path + ".region");
      if (auto v = n["installed"]) atm.installed = Date(v, path + ".installed");
      if (auto v = n["line_id"]) atm.line_id = String(v, path + ".line_id");
      if (auto v = n["carrier"]) atm.carrier = String(v, path + ".carrier");
      out->push_back(std::move(atm));
    }
  }

 private:
  std::string file_;
};

}  // namespace

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

Status ParseConfig(const std::string& yaml_text, const std::string& file_name, DaemonConfig* out) {
  DaemonConfig config;
  try {
    Parser(file_name).Top(YAML::Load(yaml_text), &config);
  } catch (const ConfigError& error) {
    return Status::Error(error.message);
  } catch (const YAML::Exception& error) {
    return Status::Error(
        fmt::format("{}:{}: not valid YAML: {}", file_name, error.mark.line + 1, error.msg));
  }
  *out = std::move(config);
  return Status::Ok();
}

Status LoadConfigFile(const std::string& path, DaemonConfig* out) {
  std::ifstream in(path);
  if (!in) return Status::Error(fmt::format("{}: cannot read the config file", path));
  std::ostringstream text;
  text << in.rdbuf();
  return ParseConfig(text.str(), path, out);
}

}  // namespace atmwatch::config
